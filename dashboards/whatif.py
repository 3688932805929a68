"""What if: placeholder until the page is built."""
import solara


@solara.component
def WhatIf():
    solara.Text("What if")
