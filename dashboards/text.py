"""Every word the dashboard shows, one table per language (English and Dutch).

Pages call `t("key", name=value)`; the language is a per-browser-session choice
(`language`), so two visitors can read the same town in different languages.
A key missing from the Dutch table falls back to English rather than failing,
and a test checks both tables have the same keys.
"""

from __future__ import annotations

import re

import solara

language = solara.reactive("en")

EN = {
    "app_title": "Nodding Terms",
    "tagline": "small everyday contacts and belonging",
    "nav_explore": "Explore a town",
    "nav_whatif": "What if?",
    "nav_classroom": "Classroom",
    "language": "Nederlands",
    "day_part": "Day {day}, {part}",
    "before_first_day": "The town before its first day",
    "day_zero_note": "Day 0 is the first simulated day.",
    "morning": "morning", "midday": "midday", "afternoon": "afternoon", "evening": "evening",
    "step": "Step one day", "step_part": "Next day-part", "play": "Play", "pause": "Pause", "reset": "Reset",
    "scenario": "Scenario",
    "seed": "Random seed",
    "pending": "Changed settings take effect when you press Reset.",
    "kept_model": "The town keeps its last good settings until every field is valid.",
    "too_big": "at most {max:,} residents in the dashboard (use `nodding run` for bigger towns)",
    "building": "Building the town…",
    # parameters of the Explore page
    "p_population.size": "Residents",
    "h_population.size": "people living in the town (2 to 20,000 here)",
    "p_traits.anxiety_mean": "Mean social anxiety",
    "h_traits.anxiety_mean": "0 = nobody fears rejection, 1 = everybody does",
    "p_liking.gap": "Liking gap",
    "h_liking.gap": "how much people underestimate how much others liked talking to them (0 to 0.75)",
    "p_places.community_centre.hosts": "Hosts in the community centre",
    "h_places.community_centre.hosts": "staff or volunteers who introduce people (0 to 100)",
    "p_places.library.hosts": "Hosts in the library",
    "h_places.library.hosts": "staff or volunteers who introduce people (0 to 100)",
    "p_traits.busyness_mean": "Mean busyness",
    "h_traits.busyness_mean": "time pressure: 0 = all the time in the world, 1 = always in a hurry",
    "p_traits.digital_preference_mean": "Preference for online contact",
    "h_traits.digital_preference_mean": "0 = only face to face, 1 = mostly online",
    "p_seed": "Random seed",
    "h_seed": "the same seed and settings give the same town",
    # charts
    "map_title": "Where everyone is: {part}",
    "gr_show": "Circle a group on the map",
    "gr_none": "no group", "gr_circled": "circled group",
    "gr_no_groups": "This scenario changes nothing, so it has no groups to circle (choose one with a change, "
                    "such as closing the community centre).",
    "gr_participant": "participants: {change}", "gr_target": "who may take part: {change}",
    "gr_regular": "regulars: {change}", "gr_others": "everyone else: {change}",
    "gw_participant": "participants", "gw_target": "residents who may take part", "gw_regular": "regulars",
    "gw_others": "everyone else",
    "gr_shown": "Circled in black: the {n:,} {who} ({share:.0f}% of residents). The change: {change}.",
    "gr_not_yet": "The {who} are known from day {start}, when the change starts.",
    "map_help": "Squares are places (size: how many people fit), dots are residents coloured by belonging "
                "(red = lonely, green = feels at home). Faint dots are residents at home. Click a dot to read that "
                "resident's story.",
    "map_part": "Show the town in the",
    "belonging_axis": "belonging (0-1)",
    "belonging_title": "Mean belonging and lonely share",
    "lonely_share": "lonely share",
    "mean_belonging": "mean belonging",
    "day": "day",
    "day_axis": "day (from 0)",
    "interactions_title": "Interactions per resident per day (average of the last 7 days)",
    "by_level": "by kind of contact",
    "by_place": "by kind of place",
    "histogram_title": "Belonging today: how many residents at each level",
    "residents_axis": "residents",
    "lonely_line": "lonely below {x:.2f}",
    "network_title": "Who knows whom",
    "network_help": "Lines are ties: dark = strong (family, friends), blue = acquaintance, grey = greeting or "
                    "nodding terms, palest = familiar faces. The layout stays put while the town lives.",
    "network_big": "The tie network is drawn for towns of up to {n} residents.",
    "no_data": "Press Step or Play to let the town live its first day.",
    "nod": "nods", "greeting": "greetings", "chat": "chats", "help": "help",
    "third_place": "third places", "transitory": "transitory zones", "work": "work and school",
    "online": "online", "home": "home",
    "k_third_place": "third place", "k_transitory": "transitory zone", "k_work": "work / school",
    "k_online": "online", "k_home": "home",
    "summary": "{n:,} residents · {lonely:.0%} lonely · {weak:.1f} weak ties and {faces:.1f} familiar faces each",
    # loneliness by age band (Explore page, dashboards/bands.py)
    "bands_title": "Loneliness by age, day {day}",
    "bands_intro": "Share of each age group (15 and older) feeling lonely at the end of the day; severe: severely "
                   "lonely. Lasting: lonely on more than half of the last {days} days. Social loneliness: too thin "
                   "a wider circle of acquaintances; emotional loneliness: missing close bonds. Small groups swing "
                   "from day to day.",
    "bands_age": "Age", "bands_residents": "Residents", "bands_lonely": "Lonely", "bands_severe": "Severe",
    "bands_lasting": "Lasting", "bands_social": "Social", "bands_emotional": "Emotional",
    "band_15_25": "15–24", "band_25_35": "25–34", "band_35_45": "35–44", "band_45_55": "45–54",
    "band_55_65": "55–64", "band_65_75": "65–74", "band_75_plus": "75 and older",
    "band_18_30": "young adults (18–29)", "band_adults": "all adults (18+)",
    # a resident's story
    "story_title": "A resident's story",
    "story_pick": "Choose a resident",
    "story_none": "Choose a resident from the list, or click a dot on the map, to read their story.",
    "story_role": "{name}, {role}",
    "role_child": "a school pupil", "role_worker": "works outside the home", "role_at_home": "at home during the day",
    "role_senior": "a senior",
    "traits": "Traits",
    "sociability": "sociability", "anxiety": "social anxiety", "busyness": "busyness", "mobility": "mobility",
    "digital": "online preference", "belonging": "belonging", "fear": "fear of rejection",
    "ties_by_rung": "Ties by rung of the familiarity ladder",
    "familiar_face": "familiar faces", "nodding": "nodding terms", "greeting_terms": "greeting terms",
    "acquaintance": "acquaintances", "friend": "friends and family",
    "expected_vs_actual": "{name} expects {expected:.0%} of strangers to welcome contact; {actual} of the contacts "
                          "{name} started so far were welcomed.",
    "no_starts": "none",
    "town_wide": "{share:.0%} across the town yesterday (this town is too big to log every contact)",
    "story_history": "Belonging of {name} over time",
    "story_history_big": "Daily history is kept for towns of up to 200 residents.",
    "last_encounters": "Last encounters",
    "no_encounters": "No encounters outside the home yet.",
    # narration
    "n_nod": "{a} nodded at {b} {where}",
    "n_greeting": "{a} greeted {b} {where}",
    "n_chat": "{a} started a chat with {b} {where}",
    "n_help": "{a} helped {b} {where}",
    "at_other": "at the {place}", "at_street": "in the street",
    "n_nth": " for the {nth} time",
    "n_rung": ": they are {rung} now",
    "n_rejected": "{a} tried to make contact with {b} {where}, but {b} looked right through {a}",
    "n_gap": "{a} put the chance that {b} would want to chat at {p:.0%}; {b} did, and liked it more than {a} thinks",
    "n_gap_family": "{a} and {b} chatted at home",
    "ordinals": "first second third fourth fifth sixth seventh eighth ninth tenth",
    "ordinal_suffixes": "th st nd rd",  # 11th, 21st, 22nd, 23rd, 24th
    "rung_nodding": "on nodding terms", "rung_greeting": "on greeting terms", "rung_acquaintance": "acquaintances",
    "rung_friend": "friends", "rung_familiar_face": "familiar faces to each other",
    # places (by their table name)
    "place_community_centre": "community centre", "place_shared_garden": "shared garden", "place_library": "library",
    "place_sports_club": "sports club", "place_cafe": "café", "place_supermarket": "supermarket",
    "place_waiting_room": "waiting room", "place_bus_stop": "bus stop", "place_train": "train", "place_park": "park", "place_street": "street",
    "place_workplace": "workplace", "place_school": "school", "place_neighbourhood_app": "neighbourhood app",
    "place_home": "home",
    # classroom
    "class_title": "A small town of {n}, day by day",
    "class_feed": "What happened this {part}",
    "class_quiet": "Nothing outside the homes this {part}.",
    "class_start": "Press \"Next day-part\" to start the first morning.",
    "class_how": "The computer works out a whole day at once; each press shows the next part of that day.",
    "class_counts": "So far: {faces} familiar faces, {nodding} pairs on nodding terms, {greeting} on greeting terms, "
                    "{acq} acquaintances.",
    "class_weak_title": "Weak ties",
    "class_weak": "The people you nod to, the baker, the kid from the bus: weak ties. On days with more of these "
                  "small contacts, people feel happier and more at home.",
    "class_familiar_title": "Public familiarity",
    "class_familiar": "See someone at the bus stop every morning and you start to recognise them. Then you nod, "
                      "then you say hello: step by step, strangers become people you know a little.",
    "class_gap_title": "The liking gap",
    "class_gap": "After a chat we think the other liked it less than they did. We guess 4 in 10 strangers want to "
                 "talk; about 9 in 10 do. So we hold back for nothing.",
    # what-if
    "wi_title": "What if? Compare a change with the baseline",
    "wi_intro": "Choose the situation to start from and one or more changes. Every scenario runs several times "
                "with different random seeds (the same seeds for each scenario, so the comparison is fair); the "
                "bands and intervals show how sure we can be.",
    "wi_baseline": "Start from (baseline)",
    "wi_interventions": "Changes to compare",
    "wi_replicates": "Repeats per scenario",
    "wi_days": "Days to simulate",
    "wi_population": "Residents (a smaller town runs faster)",
    "wi_run": "Run the comparison",
    "wi_running": "Running {done} of {total} simulations…",
    "wi_pick": "Choose at least one change to compare.",
    "wi_curves": "Over time (line: mean of the repeats; band: 95% interval)",
    "wi_effects": "Effects at the end (averaged over the last {window} days), compared with {baseline}",
    "wi_outcome": "outcome", "wi_base_value": "baseline", "wi_value": "with the change",
    "wi_effect": "difference (95% interval)", "wi_sure": "clear?",
    "wi_yes": "yes", "wi_no": "not clear",
    "wi_raised": "{subject} raised {metric} by {size} {unit} (95% interval {low} to {high}).",
    "wi_lowered": "{subject} lowered {metric} by {size} {unit} (95% interval {low} to {high}).",
    "wi_unclear": "{subject} made no clear difference to {metric}: {effect} {unit}, and the 95% interval "
                  "({low} to {high}) includes zero.",
    "wi_who": "Who is affected",
    "wi_who_intro": "The same comparison for groups of residents, fixed when the change starts: each group's "
                    "difference with the baseline and its 95% interval. Hedges' g is the difference in standard "
                    "deviations between residents (trials of loneliness interventions report about 0.4 for their "
                    "participants: a sense of scale, not a calibration). Loneliness is counted among adults only: "
                    "a group of children has no lonely share (-).",
    "wi_who_chart": "Effect by group (95% interval)",
    "wi_group_change": "Change", "wi_group": "Group", "wi_group_size": "Residents", "wi_group_belonging": "belonging, points (95% interval)",
    "wi_group_g": "Hedges' g (95% interval)",
    "wi_group_lonely": "lonely residents per 100, more (+) or fewer (-) (95% interval)",
    "wi_download_groups_png": "Download the chart by group (PNG)",
    "gn_participants": "participants of {name}", "gn_regulars": "regulars of {name}",
    "gn_target": "who may take part in {name}", "gn_others": "everyone else ({name})",
    "gn_living_alone": "residents living alone", "gn_not_alone": "residents not living alone",
    "gn_role": "{name}", "gn_this_change": "this change", "gn_everyone_else": "everyone else",
    "wi_download_csv": "Download the runs (CSV)",
    "wi_download_effects": "Download the effects (CSV)",
    "wi_download_png": "Download the chart (PNG)",
    "wi_failed": "The comparison could not run: {error}",
    "wi_no_change": "Nothing to compare: the changes start on day {start}, after the last simulated day ({last}). "
                    "Simulate at least {days} days.",
    "wi_done": "{runs} simulations in {seconds:.0f} s.",
    "wi_scenario_note": "{name}: {description}",
    "wi_too_short": "The changes start on day {start}: simulate at least {days} days so that the last 30 days, "
                    "over which effects are measured, come after the start.",
    "wi_starts": "the change starts (day {day})",
    "wi_window": "effects measured here (last {window} days)",
    "lv_belonging_points": "points (0-100)", "lv_lonely_percent": "% of adults",
    "lv_weak_ties": "per resident", "lv_interactions_per_resident": "per resident per day",
    "lv_strong_ties": "per resident", "lv_third_place_interactions": "per resident per day",
    "lv_transitory_interactions": "per resident per day", "lv_fear_points": "points (0-100)",
    # metrics of the what-if page (names as in nodding.experiments.METRICS)
    "m_belonging_points": "mean belonging", "u_belonging_points": "points (0-100)",
    "m_lonely_percent": "the lonely share", "u_lonely_percent": "percentage points",
    "m_weak_ties": "weak ties per resident", "u_weak_ties": "ties",
    "m_strong_ties": "strong ties per resident", "u_strong_ties": "ties",
    "m_interactions_per_resident": "interactions per resident per day", "u_interactions_per_resident": "per day",
    "m_third_place_interactions": "interactions in third places", "u_third_place_interactions": "per resident per day",
    "m_transitory_interactions": "interactions in transitory zones",
    "u_transitory_interactions": "per resident per day",
    "m_fear_points": "fear of rejection", "u_fear_points": "points (0-100)",
    # scenarios (shipped names)
    "s_baseline": "the baseline neighbourhood", "s_classroom": "the classroom town",
    "s_community_centre_closes": "closing the community centre", "s_host_in_third_places": "hosts in third places",
    "s_kindness_challenge": "a kindness challenge", "s_living_alone_challenge": "a challenge for residents living alone", "s_oudorp": "Oudorp (Alkmaar), from CBS figures", "s_conversation_training": "conversation training",
    "s_greeting_excuses": "greeting excuses", "s_self_checkout": "self-checkouts",
    "s_chat_checkout": "chat checkout lanes", "s_mobility_support": "mobility support",
    "s_volunteering": "volunteering", "s_blackout": "a blackout", "s_lockdown_and_reentry": "a lockdown and reopening",
    "error_page": "Something went wrong here; the town is unchanged. ({error})",
    # composing a change on the What-if page (dashboards/compose.py)
    "cp_title": "Or compose a change yourself",
    "cp_intro": "Choose what happens, where and on which days, then add it to the changes to compare. Day 0 is "
                "the first simulated day, as in the charts, the scenario files and the reports.",
    "cp_kind": "What happens",
    "cp_place": "Where",
    "cp_add": "Add to the changes",
    "cp_clear": "Start again",
    "cp_yours": "Your changes (compared with the baseline too):",
    "cp_remove": "Remove",
    "cp_day_range": "must be a whole day from {low} to {high} (the last simulated day)",
    "cp_end_range": "must be a whole day from {low} to {high} (the last simulated day), or empty: until the end",
    "cp_name_taken": "a change in the list already has this name; choose another",
    "cp_help_range": "{help} ({low} to {high})",
    "cp_fix_first": "Nothing runs until every field is valid: correct the fields marked in red, or press "
                    "\"Start again\" to clear the change you are composing.",
    "cf_start": "From day", "cf_end": "Until day (inclusive)", "cf_name": "Name (optional)", "cf_place": "Where",
    "ch_start": "day 0 is the first simulated day",
    "ch_end": "empty: until the end of the run",
    "ch_name": "how the chart and the table call it; empty: the change in words",
    "ch_place": "",
    "cf_target": "Who may take part",
    "cf_uptake": "Uptake: share of them who take part",
    "ch_uptake": "empty: the share above, drawn at random; 0.33 = a third of them, self-selected (the anxious "
                 "join less) (0 to 1)",
    "tg_everyone": "everyone", "tg_child": "school pupils", "tg_worker": "residents who work outside the home",
    "tg_at_home": "residents at home during the day", "tg_senior": "seniors",
    "tg_living_alone": "residents living alone", "tg_low_mobility": "residents with low mobility",
    "tg_lonely": "lonely residents (on the start day)", "tg_anxious": "socially anxious residents",
    "tg_regulars": "the regulars of {place}",
    "a_among": ", among {target}", "a_self_selected": ", self-selected",
    "cf_share": "Share of residents taking part", "ch_share": "0.2 = one in five residents",
    "cf_volunteering.share": "Share of residents who volunteer", "ch_volunteering.share": "0.05 = one in twenty",
    "cf_mobility_support.share": "Share of residents with low mobility reached",
    "ch_mobility_support.share": "about one in ten residents has low mobility",
    "cf_propensity": "Extra readiness to start a contact",
    "ch_propensity": "in log-odds: 1 makes the odds of starting about 2.7 times as high",
    "cf_fear_learning": "Learning from good experiences, times",
    "ch_fear_learning": "3 = participants learn three times as fast that contact goes well",
    "cf_fear_reduction": "Fear of rejection removed", "ch_fear_reduction": "on a 0-1 scale; half of it lasts",
    "cf_calibration": "Too-gloomy expectation corrected",
    "ch_calibration": "0.5 = halfway to the truth (about 9 in 10 strangers welcome a chat)",
    "cf_hosts": "Hosts added", "ch_hosts": "staff or volunteers who introduce people",
    "cf_contact_reduction": "Share of contact at the till lost", "ch_contact_reduction": "0.6 = most of it",
    "cf_affordance": "How much more the place invites contact",
    "ch_affordance": "added to its own score of 0-1 (the supermarket's is 0.25)",
    "cf_blackout.affordance": "How much more local places invite contact",
    "ch_blackout.affordance": "neighbours meet: added to the places' own score of 0-1",
    "cf_mobility": "Their chance of making a planned visit", "ch_mobility": "without help 0.35",
    "cf_per_week": "Volunteering visits per week", "ch_per_week": "per volunteer",
    "cf_help_needs": "Visible needs for help, times", "ch_help_needs": "3 = three times as many people need a hand",
    "cf_digital": "Online contact, times", "ch_digital": "2 = twice as many online visits",
    "cf_reentry_fear": "Fear added when the town reopens", "ch_reentry_fear": "on a 0-1 scale, for everyone",
    "ck_close_place": "Close a place",
    "ck_add_hosts": "Add a host who connects people",
    "ck_challenge": "A small-interactions challenge",
    "ck_conversation_training": "Conversation training (one day)",
    "ck_greeting_excuses": "Greeting excuses (groetsmoesjes)",
    "ck_self_checkout": "Self-checkouts (less contact at the till)",
    "ck_chat_checkout": "A chat checkout (kletskassa)",
    "ck_mobility_support": "Transport help for residents with low mobility",
    "ck_volunteering": "Residents volunteer at a place",
    "ck_blackout": "A blackout (no power, transport or internet)",
    "ck_lockdown": "A lockdown (third places and work closed)",
    "ce_close_place": "Every copy of the place is closed on these days; its regulars mostly stay home instead.",
    "ce_add_hosts": "Hosts welcome visitors and introduce them, so everyone there is readier to start a contact.",
    "ce_challenge": "Participants start more small contacts (a nod, a greeting, a chat) and learn faster that "
                    "they go well; what they learn stays after the challenge and slowly fades.",
    "ce_conversation_training": "A one-off training on the start day: less fear of rejection and a truer "
                                "idea of how welcome a chat is.",
    "ce_greeting_excuses": "Participants have a ready, light-hearted excuse to say hello, so they start "
                           "contacts more readily.",
    "ce_self_checkout": "Shoppers notice fewer others and the place invites less contact.",
    "ce_chat_checkout": "The place invites more contact: a word with the cashier and the queue.",
    "ce_mobility_support": "Residents who rarely get out are helped (a neighbourhood bus, a driver, a buddy) "
                           "and make more of their planned visits.",
    "ce_volunteering": "Volunteers go to the place at a fixed time every week, where strangers become familiar "
                       "faces and acquaintances.",
    "ce_blackout": "No public transport and no internet; neighbours meet in local places and help each other.",
    "ce_lockdown": "Third places and workplaces close and people go online more; reopening leaves everyone "
                   "a little more anxious.",
    "when_on": "on day {start}", "when_from": "from day {start}", "when_span": "from day {start} to day {end}",
    "host_one": "host", "host_many": "hosts",
    "a_close_place": "closing {place} {when}",
    "a_add_hosts": "{hosts} extra {host_word} in {place} {when}",
    "a_challenge": "a small-interactions challenge for {share} of residents {when}",
    "a_conversation_training": "conversation training for {share} of residents {when}",
    "a_greeting_excuses": "greeting excuses for {share} of residents {when}",
    "a_self_checkout": "self-checkouts in {place} {when}",
    "a_chat_checkout": "a chat checkout in {place} {when}",
    "a_mobility_support": "transport help for {share} of residents with low mobility {when}",
    "a_volunteering": "volunteering by {share} of residents at {place} {when}",
    "a_blackout": "a blackout {when}",
    "a_lockdown": "a lockdown {when}",
    "the_community_centre": "the community centre", "the_shared_garden": "the shared garden",
    "the_library": "the library", "the_sports_club": "the sports club", "the_cafe": "the café",
    "the_supermarket": "the supermarket", "the_waiting_room": "the waiting room", "the_bus_stop": "the bus stop",
    "the_train": "the train", "the_park": "the park", "the_street": "the streets", "the_workplace": "the workplaces",
    "the_school": "the school", "the_neighbourhood_app": "the neighbourhood app",
    "the_other": "the {place}",
    # the scenario rules' messages (model/scenario.py), in this language
    "e_number": "a number", "e_whole": "a whole number",
    "e_range": "must be {what} from {low} to {high} (got {got})",
    "e_at_least": "must be {what} of at least {low} (got {got})",
    "e_end_before": "the last day ({end}) is before the first day ({start})",
    "e_no_place": "no place named {got}; places: {places}",
}

NL = {
    "app_title": "Nodding Terms",
    "tagline": "kleine alledaagse contacten en erbij horen",
    "nav_explore": "Verken een buurt",
    "nav_whatif": "Wat als?",
    "nav_classroom": "Klas",
    "language": "English",
    "day_part": "Dag {day}, {part}",
    "before_first_day": "De buurt vóór de eerste dag",
    "day_zero_note": "Dag 0 is de eerste gesimuleerde dag.",
    "morning": "ochtend", "midday": "middag", "afternoon": "namiddag", "evening": "avond",
    "step": "Eén dag verder", "step_part": "Volgend dagdeel", "play": "Afspelen", "pause": "Pauze",
    "reset": "Opnieuw",
    "scenario": "Scenario",
    "seed": "Toevalsgetal",
    "pending": "Gewijzigde instellingen gelden zodra u op Opnieuw drukt.",
    "kept_model": "De buurt houdt de laatste goede instellingen tot elk veld klopt.",
    "too_big": "hoogstens {max:,} inwoners in het dashboard (gebruik `nodding run` voor grotere buurten)",
    "building": "De buurt wordt gebouwd…",
    "p_population.size": "Inwoners",
    "h_population.size": "mensen in de buurt (hier 2 tot 20.000)",
    "p_traits.anxiety_mean": "Gemiddelde sociale angst",
    "h_traits.anxiety_mean": "0 = niemand is bang voor afwijzing, 1 = iedereen",
    "p_liking.gap": "Aardigheidskloof (liking gap)",
    "h_liking.gap": "hoeveel mensen onderschatten hoe leuk de ander het gesprek vond (0 tot 0,75)",
    "p_places.community_centre.hosts": "Gastvrouwen/-heren in het buurthuis",
    "h_places.community_centre.hosts": "medewerkers of vrijwilligers die mensen met elkaar in contact brengen (0 tot 100)",
    "p_places.library.hosts": "Gastvrouwen/-heren in de bibliotheek",
    "h_places.library.hosts": "medewerkers of vrijwilligers die mensen met elkaar in contact brengen (0 tot 100)",
    "p_traits.busyness_mean": "Gemiddelde drukte",
    "h_traits.busyness_mean": "tijdsdruk: 0 = alle tijd van de wereld, 1 = altijd haast",
    "p_traits.digital_preference_mean": "Voorkeur voor online contact",
    "h_traits.digital_preference_mean": "0 = alleen van aangezicht tot aangezicht, 1 = vooral online",
    "p_seed": "Toevalsgetal",
    "h_seed": "hetzelfde getal en dezelfde instellingen geven dezelfde buurt",
    "map_title": "Waar iedereen is: {part}",
    "gr_show": "Omcirkel een groep op de kaart",
    "gr_none": "geen groep", "gr_circled": "omcirkelde groep",
    "gr_no_groups": "Dit scenario verandert niets, dus er zijn geen groepen om te omcirkelen (kies er een met een "
                    "verandering, zoals het buurthuis sluiten).",
    "gr_participant": "deelnemers: {change}", "gr_target": "wie mag meedoen: {change}",
    "gr_regular": "vaste bezoekers: {change}", "gr_others": "alle anderen: {change}",
    "gw_participant": "deelnemers", "gw_target": "inwoners die mogen meedoen", "gw_regular": "vaste bezoekers",
    "gw_others": "andere inwoners",
    "gr_shown": "Zwart omcirkeld: de {n:,} {who} ({share:.0f}% van de inwoners). De verandering: {change}.",
    "gr_not_yet": "De {who} zijn bekend vanaf dag {start}, als de verandering begint.",
    "map_help": "Vierkanten zijn plekken (grootte: hoeveel mensen er passen), stippen zijn inwoners, gekleurd naar "
                "erbij horen (rood = eenzaam, groen = voelt zich thuis). Vage stippen zijn inwoners die thuis zijn. "
                "Klik op een stip voor het verhaal van die inwoner.",
    "map_part": "Toon de buurt in de",
    "belonging_axis": "erbij horen (0-1)",
    "belonging_title": "Gemiddeld erbij horen en aandeel eenzamen",
    "lonely_share": "aandeel eenzamen",
    "mean_belonging": "gemiddeld erbij horen",
    "day": "dag",
    "day_axis": "dag (vanaf 0)",
    "interactions_title": "Contacten per inwoner per dag (gemiddelde van de laatste 7 dagen)",
    "by_level": "naar soort contact",
    "by_place": "naar soort plek",
    "histogram_title": "Erbij horen vandaag: hoeveel inwoners op elk niveau",
    "residents_axis": "inwoners",
    "lonely_line": "eenzaam onder {x:.2f}",
    "network_title": "Wie kent wie",
    "network_help": "Lijnen zijn banden: donker = sterk (familie, vrienden), blauw = kennis, grijs = groet- of "
                    "knikcontact, het lichtst = bekende gezichten. De tekening blijft staan terwijl de buurt leeft.",
    "network_big": "Het netwerk wordt getekend voor buurten tot {n} inwoners.",
    "no_data": "Druk op Eén dag verder of Afspelen om de buurt haar eerste dag te laten leven.",
    "nod": "knikjes", "greeting": "groeten", "chat": "praatjes", "help": "hulp",
    "third_place": "derde plekken", "transitory": "doorgangsplekken", "work": "werk en school",
    "online": "online", "home": "thuis",
    "k_third_place": "derde plek", "k_transitory": "doorgangsplek", "k_work": "werk / school",
    "k_online": "online", "k_home": "thuis",
    "summary": "{n:,} inwoners · {lonely:.0%} eenzaam · elk {weak:.1f} zwakke banden en {faces:.1f} bekende gezichten",
    "bands_title": "Eenzaamheid naar leeftijd, dag {day}",
    "bands_intro": "Aandeel van elke leeftijdsgroep (15 jaar en ouder) dat zich aan het eind van de dag eenzaam "
                   "voelt; ernstig: ernstig eenzaam. Langdurig: eenzaam op meer dan de helft van de laatste {days} "
                   "dagen. Sociale eenzaamheid: te kleine bredere kring van kennissen; emotionele eenzaamheid: hechte "
                   "banden ontbreken. Kleine groepen schommelen van dag tot dag.",
    "bands_age": "Leeftijd", "bands_residents": "Inwoners", "bands_lonely": "Eenzaam",
    "bands_severe": "Ernstig", "bands_lasting": "Langdurig", "bands_social": "Sociaal",
    "bands_emotional": "Emotioneel",
    "band_15_25": "15–24", "band_25_35": "25–34", "band_35_45": "35–44", "band_45_55": "45–54",
    "band_55_65": "55–64", "band_65_75": "65–74", "band_75_plus": "75 en ouder",
    "band_18_30": "jongvolwassenen (18–29)", "band_adults": "alle volwassenen (18+)",
    "story_title": "Het verhaal van een inwoner",
    "story_pick": "Kies een inwoner",
    "story_none": "Kies een inwoner uit de lijst, of klik op een stip op de kaart, om het verhaal te lezen.",
    "story_role": "{name}, {role}",
    "role_child": "scholier", "role_worker": "werkt buitenshuis", "role_at_home": "overdag thuis",
    "role_senior": "oudere",
    "traits": "Eigenschappen",
    "sociability": "sociaal", "anxiety": "sociale angst", "busyness": "drukte", "mobility": "mobiliteit",
    "digital": "voorkeur online", "belonging": "erbij horen", "fear": "angst voor afwijzing",
    "ties_by_rung": "Banden per trede van de bekendheidsladder",
    "familiar_face": "bekende gezichten", "nodding": "knikcontact", "greeting_terms": "groetcontact",
    "acquaintance": "kennissen", "friend": "vrienden en familie",
    "expected_vs_actual": "{name} verwacht dat {expected:.0%} van de onbekenden contact op prijs stelt; van de "
                          "contacten die {name} tot nu toe begon, werden er {actual} verwelkomd.",
    "no_starts": "nog geen",
    "town_wide": "gisteren {share:.0%} in de hele buurt (deze buurt is te groot om elk contact bij te houden)",
    "story_history": "Erbij horen van {name} door de tijd",
    "story_history_big": "De dagelijkse geschiedenis wordt bijgehouden voor buurten tot 200 inwoners.",
    "last_encounters": "Laatste ontmoetingen",
    "no_encounters": "Nog geen ontmoetingen buitenshuis.",
    "n_nod": "{a} knikte naar {b} {where}",
    "n_greeting": "{a} groette {b} {where}",
    "n_chat": "{a} begon een praatje met {b} {where}",
    "n_help": "{a} hielp {b} {where}",
    "at_other": "bij de {place}", "at_street": "op straat",
    "n_nth": " voor de {nth} keer",
    "n_rung": ": ze hebben nu {rung}",
    "n_rejected": "{a} probeerde contact te maken met {b} {where}, maar {b} keek dwars door {a} heen",
    "n_gap": "{a} schatte de kans op {p:.0%} dat {b} wilde praten; {b} wilde dat, en vond het leuker dan {a} denkt",
    "n_gap_family": "{a} en {b} praatten thuis",
    "ordinals": "eerste tweede derde vierde vijfde zesde zevende achtste negende tiende",
    "ordinal_suffixes": "e e e e",  # 21e, 22e
    "rung_nodding": "knikcontact", "rung_greeting": "groetcontact", "rung_acquaintance": "een kennis aan elkaar",
    "rung_friend": "vriendschap", "rung_familiar_face": "elkaar als bekend gezicht",
    "place_community_centre": "buurthuis", "place_shared_garden": "buurttuin", "place_library": "bibliotheek",
    "place_sports_club": "sportclub", "place_cafe": "café", "place_supermarket": "supermarkt",
    "place_waiting_room": "wachtkamer", "place_bus_stop": "bushalte", "place_train": "trein", "place_park": "park", "place_street": "straat",
    "place_workplace": "werkplek", "place_school": "school", "place_neighbourhood_app": "buurtapp",
    "place_home": "thuis",
    "class_title": "Een kleine buurt van {n}, dag voor dag",
    "class_feed": "Wat er gebeurde deze {part}",
    "class_quiet": "Niets buitenshuis deze {part}.",
    "class_start": "Druk op \"Volgend dagdeel\" om de eerste ochtend te beginnen.",
    "class_how": "De computer rekent een hele dag in één keer uit; elke druk toont het volgende deel van die dag.",
    "class_counts": "Tot nu toe: {faces} bekende gezichten, {nodding} paren met knikcontact, {greeting} met "
                    "groetcontact, {acq} kennissen.",
    "class_weak_title": "Zwakke banden",
    "class_weak": "De mensen naar wie je knikt, de bakker, dat kind uit de bus: zwakke banden. Op dagen met meer "
                  "van die kleine contacten voelen mensen zich blijer en meer thuis.",
    "class_familiar_title": "Publieke vertrouwdheid",
    "class_familiar": "Zie je iemand elke ochtend bij de bushalte, dan ga je die herkennen. Dan knik je, dan zeg je "
                      "hoi: stap voor stap worden onbekenden mensen die je een beetje kent.",
    "class_gap_title": "De aardigheidskloof",
    "class_gap": "Na een praatje denken we dat de ander het minder leuk vond dan echt zo was. We schatten dat 4 op "
                 "de 10 onbekenden willen praten; zo'n 9 op de 10 willen het. Dus houden we ons voor niets in.",
    "wi_title": "Wat als? Vergelijk een verandering met de uitgangssituatie",
    "wi_intro": "Kies de uitgangssituatie en een of meer veranderingen. Elk scenario draait meerdere keren met "
                "verschillende toevalsgetallen (dezelfde voor elk scenario, zodat de vergelijking eerlijk is); de "
                "banden en intervallen laten zien hoe zeker we zijn.",
    "wi_baseline": "Uitgangssituatie",
    "wi_interventions": "Te vergelijken veranderingen",
    "wi_replicates": "Herhalingen per scenario",
    "wi_days": "Aantal dagen",
    "wi_population": "Inwoners (een kleinere buurt rekent sneller)",
    "wi_run": "Start de vergelijking",
    "wi_running": "Simulatie {done} van {total} loopt…",
    "wi_pick": "Kies ten minste één verandering om te vergelijken.",
    "wi_curves": "Door de tijd (lijn: gemiddelde van de herhalingen; band: 95%-interval)",
    "wi_effects": "Effecten aan het eind (gemiddeld over de laatste {window} dagen), vergeleken met {baseline}",
    "wi_outcome": "uitkomst", "wi_base_value": "uitgangssituatie", "wi_value": "met de verandering",
    "wi_effect": "verschil (95%-interval)", "wi_sure": "duidelijk?",
    "wi_yes": "ja", "wi_no": "niet duidelijk",
    "wi_raised": "{subject} verhoogde {metric} met {size} {unit} (95%-interval {low} tot {high}).",
    "wi_lowered": "{subject} verlaagde {metric} met {size} {unit} (95%-interval {low} tot {high}).",
    "wi_unclear": "{subject} maakte geen duidelijk verschil voor {metric}: {effect} {unit}, en het 95%-interval "
                  "({low} tot {high}) bevat nul.",
    "wi_who": "Voor wie verandert er wat",
    "wi_who_intro": "Dezelfde vergelijking voor groepen inwoners, vastgelegd als de verandering begint: het verschil "
                    "van elke groep met de uitgangssituatie en het 95%-interval. Hedges' g is het verschil in "
                    "standaarddeviaties tussen inwoners (onderzoek naar interventies tegen eenzaamheid vindt zo'n 0,4 "
                    "voor de deelnemers: een maat om te vergelijken, geen kalibratie). Eenzaamheid telt alleen bij "
                    "volwassenen: een groep kinderen heeft geen aandeel eenzamen (-).",
    "wi_who_chart": "Effect per groep (95%-interval)",
    "wi_group_change": "Verandering", "wi_group": "Groep", "wi_group_size": "Inwoners", "wi_group_belonging": "erbij horen, punten (95%-interval)",
    "wi_group_g": "Hedges' g (95%-interval)",
    "wi_group_lonely": "eenzamen per 100, meer (+) of minder (-) (95%-interval)",
    "wi_download_groups_png": "Download de grafiek per groep (PNG)",
    "gn_participants": "deelnemers aan {name}", "gn_regulars": "vaste bezoekers van {name}",
    "gn_target": "wie mag meedoen aan {name}", "gn_others": "alle anderen ({name})",
    "gn_living_alone": "alleenwonenden", "gn_not_alone": "niet-alleenwonenden",
    "gn_role": "{name}", "gn_this_change": "deze verandering", "gn_everyone_else": "alle anderen",
    "wi_download_csv": "Download de simulaties (CSV)",
    "wi_download_effects": "Download de effecten (CSV)",
    "wi_download_png": "Download de grafiek (PNG)",
    "wi_failed": "De vergelijking kon niet draaien: {error}",
    "wi_no_change": "Niets te vergelijken: de veranderingen beginnen op dag {start}, na de laatste gesimuleerde dag "
                    "({last}). Simuleer ten minste {days} dagen.",
    "wi_done": "{runs} simulaties in {seconds:.0f} s.",
    "wi_scenario_note": "{name}: {description}",
    "wi_too_short": "De veranderingen beginnen op dag {start}: simuleer ten minste {days} dagen, zodat de laatste 30 "
                    "dagen, waarover de effecten worden gemeten, na het begin vallen.",
    "wi_starts": "de verandering begint (dag {day})",
    "wi_window": "hier worden effecten gemeten (laatste {window} dagen)",
    "lv_belonging_points": "punten (0-100)", "lv_lonely_percent": "% van de volwassenen",
    "lv_weak_ties": "per inwoner", "lv_interactions_per_resident": "per inwoner per dag",
    "lv_strong_ties": "per inwoner", "lv_third_place_interactions": "per inwoner per dag",
    "lv_transitory_interactions": "per inwoner per dag", "lv_fear_points": "punten (0-100)",
    "m_belonging_points": "het gemiddelde erbij horen", "u_belonging_points": "punten (0-100)",
    "m_lonely_percent": "het aandeel eenzamen", "u_lonely_percent": "procentpunt",
    "m_weak_ties": "zwakke banden per inwoner", "u_weak_ties": "banden",
    "m_strong_ties": "sterke banden per inwoner", "u_strong_ties": "banden",
    "m_interactions_per_resident": "contacten per inwoner per dag", "u_interactions_per_resident": "per dag",
    "m_third_place_interactions": "contacten op derde plekken", "u_third_place_interactions": "per inwoner per dag",
    "m_transitory_interactions": "contacten op doorgangsplekken", "u_transitory_interactions": "per inwoner per dag",
    "m_fear_points": "angst voor afwijzing", "u_fear_points": "punten (0-100)",
    "s_baseline": "de gewone buurt", "s_classroom": "de klasbuurt",
    "s_community_centre_closes": "het buurthuis sluiten", "s_host_in_third_places": "gastheren op derde plekken",
    "s_kindness_challenge": "een vriendelijkheidsuitdaging", "s_living_alone_challenge": "een uitdaging voor alleenwonenden", "s_oudorp": "Oudorp (Alkmaar), naar CBS-cijfers", "s_conversation_training": "gesprekstraining",
    "s_greeting_excuses": "groetsmoesjes", "s_self_checkout": "zelfscankassa's",
    "s_chat_checkout": "kletskassa's", "s_mobility_support": "vervoersondersteuning",
    "s_volunteering": "vrijwilligerswerk", "s_blackout": "een stroomstoring", "s_lockdown_and_reentry": "een lockdown en heropening",
    "error_page": "Hier ging iets mis; de buurt is niet veranderd. ({error})",
    "cp_title": "Of stel zelf een verandering samen",
    "cp_intro": "Kies wat er gebeurt, waar en op welke dagen, en voeg het toe aan de te vergelijken veranderingen. "
                "Dag 0 is de eerste gesimuleerde dag, zoals in de grafieken, de scenariobestanden en de rapporten.",
    "cp_kind": "Wat er gebeurt",
    "cp_place": "Waar",
    "cp_add": "Voeg toe aan de veranderingen",
    "cp_clear": "Opnieuw beginnen",
    "cp_yours": "Uw veranderingen (ook vergeleken met de uitgangssituatie):",
    "cp_remove": "Verwijder",
    "cp_day_range": "moet een hele dag van {low} tot en met {high} zijn (de laatste gesimuleerde dag)",
    "cp_end_range": "moet een hele dag van {low} tot en met {high} zijn (de laatste gesimuleerde dag), of leeg: "
                    "tot het eind",
    "cp_name_taken": "een verandering in de lijst heeft deze naam al; kies een andere",
    "cp_help_range": "{help} ({low} tot {high})",
    "cp_fix_first": "Er draait niets tot elk veld klopt: verbeter de rood gemarkeerde velden, of druk op "
                    "\"Opnieuw beginnen\" om de verandering die u samenstelt te wissen.",
    "cf_start": "Vanaf dag", "cf_end": "Tot en met dag", "cf_name": "Naam (niet verplicht)", "cf_place": "Waar",
    "ch_start": "dag 0 is de eerste gesimuleerde dag",
    "ch_end": "leeg: tot het eind van de simulatie",
    "ch_name": "hoe de grafiek en de tabel het noemen; leeg: de verandering in woorden",
    "ch_place": "",
    "cf_target": "Wie mag meedoen",
    "cf_uptake": "Deelname: aandeel van hen dat meedoet",
    "ch_uptake": "leeg: het aandeel hierboven, willekeurig gekozen; 0.33 = een derde van hen, wie wil doet mee "
                 "(wie angstig is, minder vaak) (0 tot 1)",
    "tg_everyone": "iedereen", "tg_child": "scholieren", "tg_worker": "inwoners die buitenshuis werken",
    "tg_at_home": "inwoners die overdag thuis zijn", "tg_senior": "ouderen",
    "tg_living_alone": "alleenwonenden", "tg_low_mobility": "minder mobiele inwoners",
    "tg_lonely": "eenzame inwoners (op de startdag)", "tg_anxious": "sociaal angstige inwoners",
    "tg_regulars": "de vaste bezoekers van {place}",
    "a_among": ", onder {target}", "a_self_selected": ", wie wil doet mee",
    "cf_share": "Aandeel inwoners dat meedoet", "ch_share": "0.2 = een op de vijf inwoners",
    "cf_volunteering.share": "Aandeel inwoners dat vrijwilliger wordt", "ch_volunteering.share": "0.05 = een op de twintig",
    "cf_mobility_support.share": "Aandeel minder mobiele inwoners dat geholpen wordt",
    "ch_mobility_support.share": "ongeveer een op de tien inwoners is minder mobiel",
    "cf_propensity": "Extra bereidheid om contact te beginnen",
    "ch_propensity": "in log-odds: 1 maakt de kans (odds) om te beginnen ongeveer 2,7 keer zo groot",
    "cf_fear_learning": "Leren van goede ervaringen, keer",
    "ch_fear_learning": "3 = deelnemers leren drie keer zo snel dat contact goed gaat",
    "cf_fear_reduction": "Weggenomen angst voor afwijzing", "ch_fear_reduction": "op een schaal van 0-1; de helft blijft",
    "cf_calibration": "Gecorrigeerde te sombere verwachting",
    "ch_calibration": "0.5 = halverwege de werkelijkheid (zo'n 9 op de 10 onbekenden vinden een praatje fijn)",
    "cf_hosts": "Extra gastvrouwen/-heren", "ch_hosts": "medewerkers of vrijwilligers die mensen aan elkaar voorstellen",
    "cf_contact_reduction": "Aandeel contact bij de kassa dat verdwijnt", "ch_contact_reduction": "0.6 = het meeste",
    "cf_affordance": "Hoeveel meer de plek uitnodigt tot contact",
    "ch_affordance": "bovenop de eigen score van 0-1 (de supermarkt heeft 0.25)",
    "cf_blackout.affordance": "Hoeveel meer plekken in de buurt uitnodigen tot contact",
    "ch_blackout.affordance": "buren ontmoeten elkaar: bovenop de eigen score van 0-1",
    "cf_mobility": "Hun kans om een geplande tocht te maken", "ch_mobility": "zonder hulp 0.35",
    "cf_per_week": "Keren vrijwilligerswerk per week", "ch_per_week": "per vrijwilliger",
    "cf_help_needs": "Zichtbare hulpvragen, keer", "ch_help_needs": "3 = drie keer zoveel mensen hebben een hand nodig",
    "cf_digital": "Online contact, keer", "ch_digital": "2 = twee keer zoveel online bezoeken",
    "cf_reentry_fear": "Extra angst bij de heropening", "ch_reentry_fear": "op een schaal van 0-1, voor iedereen",
    "ck_close_place": "Een plek sluiten",
    "ck_add_hosts": "Een gastvrouw of gastheer die mensen verbindt",
    "ck_challenge": "Een uitdaging voor kleine contacten",
    "ck_conversation_training": "Gesprekstraining (één dag)",
    "ck_greeting_excuses": "Groetsmoesjes",
    "ck_self_checkout": "Zelfscankassa's (minder contact bij de kassa)",
    "ck_chat_checkout": "Een kletskassa",
    "ck_mobility_support": "Vervoershulp voor minder mobiele inwoners",
    "ck_volunteering": "Inwoners doen vrijwilligerswerk bij een plek",
    "ck_blackout": "Een stroomstoring (geen stroom, openbaar vervoer of internet)",
    "ck_lockdown": "Een lockdown (derde plekken en werk dicht)",
    "ce_close_place": "Elke vestiging van de plek is op deze dagen dicht; de vaste bezoekers blijven meestal thuis.",
    "ce_add_hosts": "Gastvrouwen en gastheren verwelkomen bezoekers en stellen ze aan elkaar voor, zodat iedereen "
                    "daar makkelijker contact begint.",
    "ce_challenge": "Deelnemers beginnen meer kleine contacten (een knikje, een groet, een praatje) en leren sneller "
                    "dat die goed gaan; wat ze leren blijft na de uitdaging en zakt langzaam weg.",
    "ce_conversation_training": "Een eenmalige training op de begindag: minder angst voor afwijzing en een "
                                "juister beeld van hoe welkom een praatje is.",
    "ce_greeting_excuses": "Deelnemers hebben een luchtig smoesje klaar om hallo te zeggen, dus beginnen ze "
                           "makkelijker contact.",
    "ce_self_checkout": "Klanten zien minder anderen en de plek nodigt minder uit tot contact.",
    "ce_chat_checkout": "De plek nodigt meer uit tot contact: een woordje met de caissière en de rij.",
    "ce_mobility_support": "Inwoners die weinig buiten komen krijgen hulp (een buurtbus, een chauffeur, een maatje) "
                           "en maken meer van hun geplande tochten.",
    "ce_volunteering": "Vrijwilligers gaan elke week op een vaste tijd naar de plek, waar onbekenden bekende "
                       "gezichten en kennissen worden.",
    "ce_blackout": "Geen openbaar vervoer en geen internet; buren ontmoeten elkaar in de buurt en helpen elkaar.",
    "ce_lockdown": "Derde plekken en werkplekken gaan dicht en mensen gaan meer online; na de heropening is "
                   "iedereen wat banger.",
    "when_on": "op dag {start}", "when_from": "vanaf dag {start}", "when_span": "van dag {start} tot en met dag {end}",
    "host_one": "gastvrouw of gastheer", "host_many": "gastvrouwen of gastheren",
    "a_close_place": "{place} sluiten {when}",
    "a_add_hosts": "{hosts} extra {host_word} in {place} {when}",
    "a_challenge": "een uitdaging voor kleine contacten voor {share} van de inwoners {when}",
    "a_conversation_training": "gesprekstraining voor {share} van de inwoners {when}",
    "a_greeting_excuses": "groetsmoesjes voor {share} van de inwoners {when}",
    "a_self_checkout": "zelfscankassa's in {place} {when}",
    "a_chat_checkout": "een kletskassa in {place} {when}",
    "a_mobility_support": "vervoershulp voor {share} van de minder mobiele inwoners {when}",
    "a_volunteering": "vrijwilligerswerk door {share} van de inwoners bij {place} {when}",
    "a_blackout": "een stroomstoring {when}",
    "a_lockdown": "een lockdown {when}",
    "the_community_centre": "het buurthuis", "the_shared_garden": "de buurttuin",
    "the_library": "de bibliotheek", "the_sports_club": "de sportclub", "the_cafe": "het café",
    "the_supermarket": "de supermarkt", "the_waiting_room": "de wachtkamer", "the_bus_stop": "de bushalte",
    "the_train": "de trein", "the_park": "het park", "the_street": "de straten", "the_workplace": "de werkplekken",
    "the_school": "de school", "the_neighbourhood_app": "de buurtapp",
    "the_other": "{place}",
    "e_number": "een getal", "e_whole": "een heel getal",
    "e_range": "moet {what} van {low} tot en met {high} zijn (ingevuld: {got})",
    "e_at_least": "moet {what} van ten minste {low} zijn (ingevuld: {got})",
    "e_end_before": "de laatste dag ({end}) ligt vóór de eerste dag ({start})",
    "e_no_place": "er is geen plek {got}; plekken: {places}",
}

TABLES = {"en": EN, "nl": NL}


def t(key: str, **values) -> str:
    """The text for `key` in this session's language, with `values` filled in."""
    table = TABLES[language.value]
    text = table.get(key, EN[key])
    return text.format(**values) if values else text


def ordinal(n: int) -> str:
    """'fifth' / 'vijfde' for 1-10, '22nd' / '22e' beyond."""
    words = t("ordinals").split()
    if 1 <= n <= len(words):
        return words[n - 1]
    suffixes = t("ordinal_suffixes").split()  # "th st nd rd": 1st, 2nd, 3rd, but 11th-13th
    return f"{n}{suffixes[0 if n % 100 in (11, 12, 13) or n % 10 > 3 else n % 10]}"


def place_name(kind_name: str) -> str:
    """A place type's everyday name ('bus_stop' -> 'bus stop' / 'bushalte')."""
    key = f"place_{kind_name}"
    return t(key) if key in EN else kind_name.replace("_", " ")


def scenario_name(name: str) -> str:
    key = f"s_{name}"
    return t(key) if key in EN else name.replace("_", " ")


def at_place(name: str) -> str:
    """Where an encounter happened: 'at the library' / 'bij de bibliotheek', 'in the street' / 'op straat'."""
    key = f"at_{name}"
    return t(key) if key in EN else t("at_other", place=place_name(name))


def the_place(name: str) -> str:
    """A place table's name with its article: 'the library' / 'de bibliotheek'."""
    key = f"the_{name}"
    return t(key) if key in EN else t("the_other", place=name.replace("_", " "))


#: The scenario rules' most common messages (model/scenario.py `_check`, `_check_interventions`), so that
#: they can be said in the page's language; any other message is shown as the model words it.
_PROBLEMS = (
    (re.compile(r"must be (a whole number|a number) from (\S+) to (\S+) \(got (.*)\)"), "e_range",
     ("what", "low", "high", "got")),
    (re.compile(r"must be (a whole number|a number) of at least (\S+) \(got (.*)\)"), "e_at_least",
     ("what", "low", "got")),
    (re.compile(r"end \((-?\d+)\) is before start \((-?\d+)\)"), "e_end_before", ("end", "start")),
    (re.compile(r"no place named (.*?)(?: \(did you mean [^)]*\))?; places: (.*)"), "e_no_place", ("got", "places")),
)


def problem_text(problem: str) -> str:
    """A message of the scenario rules in the page's language, with the model's numbers and what it allows;
    a message no pattern knows is shown as the model words it."""
    for pattern, key, names in _PROBLEMS:
        match = pattern.fullmatch(problem)
        if match:
            values = dict(zip(names, match.groups()))
            if "what" in values:
                values["what"] = t("e_whole" if values["what"] == "a whole number" else "e_number")
            if key == "e_no_place":
                values["places"] = ", ".join(place_name(p) for p in values["places"].split(", "))
            return t(key, **values)
    return problem
