"""Names the demo texts are filled in with, shared by Bokmål and Nynorsk.

The municipalities, villages, rivers, mountains, farms, firms and people are
invented for the demo corpora; counties and cities are real names, but nothing
said about them in the demo texts is a fact.
"""

KOMMUNER = [
    "Brekkvik", "Lysefjell", "Sørvåg", "Holmedal", "Granåsen", "Aurvik", "Hestnes",
    "Kvamsøy", "Lindvik", "Moldstad", "Nordheim", "Rosfjord", "Sagvik", "Skogstad",
    "Storvoll", "Tverrå", "Ulvøy", "Vangdal", "Bjørkedal", "Eidsnes", "Fjellstrand",
    "Gjerdrum-Vestre", "Hallbu", "Isfjord", "Jøssvik", "Kleivdal", "Lauvnes",
    "Mjølsdal", "Nesbygd", "Ottervik", "Rindal-Øvre", "Selbakk", "Solbygda",
    "Tindvik", "Urdal", "Vetlefjord", "Øyrabygd", "Åsvang", "Bergset", "Dalsbygd",
    "Elvestad", "Fagerlia", "Grønvik", "Hamremo", "Kjelvik", "Lyngstad", "Myrvoll",
    "Nordvik", "Rabben", "Sandøy", "Strandvik", "Teigland", "Vassbotn", "Østbygd",
    "Heggedal", "Innvik", "Kolbu-Nedre", "Langeland", "Mosvik-Ytre", "Røstad",
]

TETTSTEDER = [
    "Bakken", "Nesset", "Strand", "Holen", "Sjøvik", "Haugen", "Bryggja", "Lia",
    "Moen", "Dalen", "Vollen", "Eidet", "Øyra", "Sanden", "Kvia", "Bruvoll",
    "Torget", "Fossen", "Skaret", "Lunde", "Heia", "Klokkarvik", "Sandnes-Vestre",
    "Myra", "Bøen", "Vika", "Kaupang", "Stranda", "Bergheim", "Nordbø",
]

FYLKER = [
    "Akershus", "Buskerud", "Østfold", "Vestfold", "Telemark", "Agder", "Rogaland",
    "Vestland", "Møre og Romsdal", "Trøndelag", "Nordland", "Troms", "Finnmark",
    "Innlandet",
]

BYER = [
    "Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Kristiansand", "Drammen",
    "Fredrikstad", "Ålesund", "Bodø", "Lillehammer", "Hamar", "Molde", "Førde",
    "Arendal", "Harstad", "Gjøvik", "Skien", "Haugesund", "Kongsberg",
]

ELVER = [
    "Grøna", "Lysa", "Kvitelva", "Storelva", "Auselva", "Bjørnaelva", "Hallaelva",
    "Renna", "Sølvelva", "Tverråa", "Vikja", "Myrelva", "Djupa", "Fossåa", "Laksåa",
    "Reinelva", "Skjelvåa", "Urdaelva", "Bekkja", "Glimma", "Hesteelva", "Ljoså",
    "Nordelva", "Råna", "Sandåa", "Tinnåa", "Vardelva", "Østelva",
]

FJELL = [
    "Storhornet", "Kvitnuten", "Blåtind", "Reinsfjellet", "Skarvatind", "Gråhøa",
    "Hestetind", "Sølvnuten", "Ramnefjellet", "Ulvetind", "Snønipa", "Bjørnehøgda",
    "Varden", "Tverrfjellet", "Storkollen", "Midtfjellet", "Lauvhøa", "Høgenipa",
]

INNSJOER = [
    "Storvatnet", "Lysevatnet", "Kvitsjøen", "Fiskevatnet", "Djupvatnet",
    "Langvatnet", "Holmevatnet", "Reinsvatnet", "Svartvatnet", "Botnavatnet",
    "Tjernet", "Heimvatnet",
]

FJORDER = [
    "Brekkefjorden", "Sagfjorden", "Aurfjorden", "Langfjorden", "Ulvefjorden",
    "Vetlefjorden", "Storfjorden", "Holmefjorden", "Rosfjorden", "Kvamsfjorden",
]

FOSSER = [
    "Storfossen", "Kvitfossen", "Tvillingfossen", "Helvetesfossen", "Brudesløret",
    "Rjukanden", "Dønnfossen", "Laksefossen", "Søndre foss", "Øvrefossen",
]

GARDER = [
    "Øvre Bø", "Nedre Haugen", "Rudi", "Hovland", "Tveit", "Bakke", "Sande",
    "Vik", "Lien", "Hole", "Berge", "Nes", "Myklebust", "Aker", "Grinde", "Tofte",
    "Rø", "Skår", "Løkken", "Hegge",
]

BEDRIFTER = [
    "Brekke Mekaniske", "Nordlys Smelteverk", "Fjordkraft Industri", "Vestvik Trevare",
    "Sagvik Sildoljefabrikk", "Holmedal Møbelfabrikk", "Lysefjell Bruk", "Aurvik Skipsverft",
    "Granåsen Meieri", "Storvoll Tekstil", "Ulvøy Fiskemottak", "Hallbu Tresliperi",
]

MENN = [
    "Ole", "Per", "Lars", "Knut", "Arne", "Jon", "Olav", "Eirik", "Håkon", "Sigurd",
    "Torbjørn", "Magnus", "Anders", "Erlend", "Tor", "Geir", "Steinar", "Bjørn",
    "Einar", "Halvard", "Audun", "Ivar", "Jostein", "Kjetil", "Nils", "Rolf",
    "Sverre", "Trond", "Vegard", "Øystein",
]

KVINNER = [
    "Kari", "Ingrid", "Anne", "Marit", "Solveig", "Ragnhild", "Liv", "Astrid",
    "Berit", "Hilde", "Guro", "Sigrid", "Turid", "Randi", "Tone", "Aslaug",
    "Eli", "Gunvor", "Ingeborg", "Jorunn", "Kristin", "Mari", "Nina", "Oddny",
    "Silje", "Torill", "Unni", "Vigdis", "Åse", "Synnøve",
]

ETTERNAVN = [
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
    "Kristiansen", "Berg", "Haugen", "Hagen", "Bakken", "Dahl", "Lie", "Moen",
    "Strand", "Lunde", "Aasen", "Solberg", "Eide", "Myklebust", "Tveit", "Brekke",
    "Vik", "Nygård", "Holm", "Sæther", "Rønning", "Fjeld", "Halvorsen", "Rudi",
    "Hovland", "Skjelbred", "Grinde", "Aune", "Lien", "Tofte", "Hegge", "Sunde",
    "Øverland",
]

UNIVERSITETER = [
    "Universitetet i Oslo", "Universitetet i Bergen", "NTNU", "UiT Norges arktiske universitet",
    "Universitetet i Agder", "Universitetet i Stavanger", "Nord universitet",
    "Høgskulen på Vestlandet", "Norges miljø- og biovitenskapelige universitet",
]

AVISER = [
    "Aftenposten", "Bergens Tidende", "Adresseavisen", "Dagbladet", "VG",
    "Stavanger Aftenblad", "Fædrelandsvennen", "Nordlys", "Klassekampen",
    "Dagsavisen", "Dag og Tid", "Firda",
]

LOKALAVISER = [
    "Fjordposten", "Dalebladet", "Bygdeposten", "Kystavisa", "Vikebladet",
    "Fjellnytt", "Nordre Avis", "Sørlandstidende", "Bygdebladet", "Grenda",
]

PARTIER = [
    "Arbeiderpartiet", "Høyre", "Senterpartiet", "Fremskrittspartiet",
    "Sosialistisk Venstreparti", "Kristelig Folkeparti", "Venstre", "Rødt",
    "Miljøpartiet De Grønne", "en lokal bygdeliste",
]

POLITIDISTRIKT = [
    "Vest", "Øst", "Innlandet", "Trøndelag", "Sør-Vest", "Nordland", "Troms",
    "Agder", "Møre og Romsdal", "Finnmark",
]

LAG_ENDING = ["IL", "IF", "FK", "BK", "Sportsklubb", "Turnforening"]
