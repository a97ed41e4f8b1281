"""Danish, Swedish and English sentences for the planted foreign-language documents.

Written for this project. Every language has a few topics with a title and a
pool of sentences; a document takes sentences from one or two topics.
"""

DANISH = {
    "nyhed": {
        "title": "Ny skole i {da_by}",
        "sentences": [
            "Kommunalbestyrelsen i {da_by} har besluttet, at der skal bygges en ny skole i bydelen.",
            "Ifølge borgmesteren vil byggeriet koste omkring 240 millioner kroner.",
            "Det er første gang i mange år, at byen får en helt ny folkeskole.",
            "Mange forældre har længe efterlyst flere pladser i daginstitutionerne.",
            "Byggeriet forventes at gå i gang efter sommerferien og være færdigt om to år.",
            "Skolen skal have plads til omkring 600 elever fra børnehaveklasse til niende klasse.",
            "Et flertal i byrådet stemte for forslaget, mens to partier undlod at stemme.",
        ],
    },
    "politi": {
        "title": "Færdselsuheld natten til søndag",
        "sentences": [
            "Politiet efterlyser vidner til et færdselsuheld, der skete natten til søndag.",
            "En 34-årig mand blev kørt på hospitalet med lettere skader.",
            "Ifølge vagtchefen kørte bilen af vejen i et skarpt sving og endte i en grøft.",
            "Vejen var spærret i flere timer, mens politiet undersøgte stedet.",
            "Det er endnu uvist, om føreren havde drukket.",
            "Politiet opfordrer bilister til at sætte farten ned, når vejene er glatte.",
        ],
    },
    "sport": {
        "title": "Sejr på hjemmebane",
        "sentences": [
            "Kampen endte 2-1 efter et sent mål i anden halvleg.",
            "Træneren var efter kampen godt tilfreds med holdets indsats.",
            "Næste kamp spilles på hjemmebane mod et af ligaens tophold.",
            "Omkring 3.000 tilskuere havde fundet vej til stadion trods regnvejret.",
            "Holdets anfører måtte udgå med en skade efter en halv time.",
            "Med sejren rykker klubben op på femtepladsen i tabellen.",
        ],
    },
    "butik": {
        "title": "Om vores webshop",
        "sentences": [
            "Vi har åbent mandag til fredag fra kl. 10 til 17.30 og lørdag fra kl. 10 til 14.",
            "Fri fragt ved køb over 499 kr., og levering sker normalt inden for 1-3 hverdage.",
            "Alle vores produkter er fremstillet i Danmark af bæredygtige materialer.",
            "Hvis du har spørgsmål til din ordre, er du altid velkommen til at kontakte os.",
            "Du kan returnere varen inden for 30 dage, hvis du fortryder dit køb.",
            "Vores kundeservice svarer som regel på e-mails samme dag.",
            "Betaling kan ske med Dankort, MobilePay eller bankoverførsel.",
        ],
    },
    "blog": {
        "title": "Weekend i {da_by}",
        "sentences": [
            "I weekenden tog vi en tur til {da_by}, hvor vi boede på et hyggeligt lille hotel ved havnen.",
            "Vejret var ikke det bedste, men vi fik alligevel gået en lang tur langs stranden.",
            "Bagefter spiste vi frokost på en café, hvor de serverede det lækreste smørrebrød.",
            "Jeg kan varmt anbefale at besøge byen, hvis man har en fridag.",
            "Børnene fandt en masse muslingeskaller og ville have dem alle sammen med hjem.",
            "Om aftenen sad vi længe i haven og snakkede, mens solen gik ned.",
            "Tak fordi du læste med, og husk at dele indlægget med dine venner.",
        ],
    },
    "leksikon": {
        "title": "{da_by}",
        "sentences": [
            "{da_by} er en by i Region {da_region} med omkring 14.000 indbyggere.",
            "Byen nævnes første gang i skriftlige kilder i 1231.",
            "Kirken blev opført i romansk stil og er bygget af granitkvadre.",
            "I det 19. århundrede voksede byen hurtigt på grund af jernbanen og havnen.",
            "Museet har udstillinger om egnens historie fra stenalderen til i dag.",
            "Byen er i dag kendt for sin gamle bymidte med smalle gader og bindingsværkshuse.",
            "Nærmeste større by er Aarhus, som ligger omkring 50 kilometer mod syd.",
        ],
    },
    "opskrift": {
        "title": "Nem æblekage",
        "sentences": [
            "Opskriften er nem at lave og tager cirka en halv time.",
            "Rør smør og sukker sammen, og tilsæt derefter æggene ét ad gangen.",
            "Kagen skal bages ved 180 grader i cirka 25 minutter.",
            "Server gerne kagen med flødeskum og friske bær.",
            "Man kan sagtens bruge pærer i stedet for æbler, hvis man foretrækker det.",
            "Kagen kan holde sig et par dage i køleskabet, hvis den er godt tildækket.",
        ],
    },
}

DANISH["kultur"] = {
    "title": "Ny roman om en fiskerfamilie",
    "sentences": [
        "Forfatterens nye roman handler om tre generationer af en fiskerfamilie på Vestkysten.",
        "Bogen er skrevet i et enkelt og stramt sprog, som passer godt til historien.",
        "Anmelderne har taget godt imod den, og flere har givet den fem stjerner.",
        "Forfatteren læser op af bogen på biblioteket i næste uge.",
        "Det er hendes fjerde roman, og den er allerede solgt til udgivelse i Tyskland.",
        "Mange læsere har skrevet til forlaget og fortalt, at de kan genkende egnen i bogen.",
    ],
}

DANISH_SLOTS = {
    "da_by": ["Ribe", "Skagen", "Ebeltoft", "Tønder", "Faaborg", "Mariager", "Svaneke"],
    "da_region": ["Midtjylland", "Syddanmark", "Nordjylland", "Sjælland"],
}

SWEDISH = {
    "ort": {
        "title": "{sv_ort}",
        "sentences": [
            "{sv_ort} är en tätort i {sv_län} län med omkring 4 500 invånare.",
            "Orten växte fram kring järnvägsstationen som öppnades i slutet av 1800-talet.",
            "Kyrkan uppfördes på medeltiden men byggdes om kraftigt under 1700-talet.",
            "Kommunens största arbetsgivare är ett sågverk som sysselsätter drygt 300 personer.",
            "Under sommaren lockar sjöarna och vandringslederna många turister till trakten.",
            "Det finns en skola, en vårdcentral och två livsmedelsbutiker på orten.",
            "Närmaste flygplats ligger ungefär sju mil bort.",
        ],
    },
    "nyheter": {
        "title": "Brand i natt",
        "sentences": [
            "Polisen larmades strax efter klockan tre på natten till lördagen.",
            "Ingen person kom till skada, men byggnaden totalförstördes i branden.",
            "Räddningstjänsten arbetade hela natten med att släcka branden.",
            "Orsaken till branden är ännu inte känd, och polisen har inlett en förundersökning.",
            "Regeringen vill satsa mer pengar på vården i glesbygden.",
            "Enligt finansministern ska satsningen finansieras utan att skatterna höjs.",
            "Kritiker menar att förslaget kommer för sent och att det inte räcker.",
        ],
    },
    "butik": {
        "title": "Vanliga frågor",
        "sentences": [
            "Vi erbjuder fri frakt på alla beställningar över 500 kronor.",
            "Varan skickas inom två arbetsdagar från vårt lager i Borås.",
            "Har du frågor om din beställning är du välkommen att kontakta vår kundtjänst.",
            "Jackan är tillverkad av återvunnen polyester och tål tvätt i 40 grader.",
            "Du kan alltid byta eller returnera varan inom trettio dagar.",
            "Vi skickar ett mejl så fort din order har lämnat lagret.",
        ],
    },
    "blogg": {
        "title": "Svamp i skogen",
        "sentences": [
            "Igår var vi ute och plockade svamp i skogen bakom stugan.",
            "Det blev nästan två hela korgar med kantareller, så nu blir det svampstuvning till middag.",
            "Barnen tyckte att det var jättekul, även om det regnade lite på eftermiddagen.",
            "Jag har funderat länge på att börja skriva här igen, och nu har jag äntligen bestämt mig.",
            "Tack för att du läser, och glöm inte att lämna en kommentar!",
            "Nästa helg ska vi försöka hitta trattkantareller längre upp i backen.",
            "Det här receptet har funnits i vår familj i flera generationer.",
        ],
    },
    "forskning": {
        "title": "Flyttfåglar kommer tidigare",
        "sentences": [
            "Forskare vid Uppsala universitet har undersökt hur klimatet påverkar fåglarnas flyttvanor.",
            "Resultaten visar att många arter kommer tillbaka flera dagar tidigare än för trettio år sedan.",
            "Studien bygger på observationer som har samlats in sedan 1970-talet.",
            "Särskilt tydlig är förändringen hos småfåglar som övervintrar i Europa.",
            "Forskarna vill nu undersöka om fåglarna också häckar tidigare på våren.",
            "Data från ringmärkningsstationer längs kusten har varit särskilt värdefulla.",
        ],
    },
    "sport": {
        "title": "Seger efter dramatiskt slut",
        "sentences": [
            "Matchen slutade 3-2 efter ett dramatiskt avslut.",
            "Tränaren var missnöjd med försvarsspelet men glad över poängen.",
            "Laget ligger nu på fjärde plats i tabellen inför den sista omgången.",
            "Det avgörande målet kom bara två minuter före slutsignalen.",
            "Publiken på hemmaplan bjöd på fin stämning hela kvällen.",
            "Nästa match spelas borta mot serieledaren på söndag.",
        ],
    },
    "kultur": {
        "title": "Utställning på konsthallen",
        "sentences": [
            "Konsthallen visar just nu en utställning med målningar från norra Sverige.",
            "Konstnären har arbetat med motiven i nästan tio år.",
            "Många av tavlorna föreställer fjäll, myrar och små byar i vinterljus.",
            "Utställningen pågår till slutet av mars och har fri entré.",
            "På lördagarna erbjuds visningar för barn och familjer.",
            "Kritikerna har beskrivit utställningen som en av årets mest personliga.",
        ],
    },
}

SWEDISH_SLOTS = {
    "sv_ort": ["Järvsö", "Mockfjärd", "Vilhelmina", "Sollefteå", "Åre", "Orsa", "Tärnaby"],
    "sv_län": ["Gävleborgs", "Dalarnas", "Västerbottens", "Västernorrlands", "Jämtlands"],
}

ENGLISH = {
    "travel": {
        "title": "Visiting {en_town}",
        "sentences": [
            "{en_town} is a small town on the west coast of Norway, known for its fjords and its fishing history.",
            "The town has a population of about 3,000 people and is the administrative centre of the municipality.",
            "Most visitors arrive by car or on the coastal ferry, which calls at the harbour every day.",
            "The old wooden church dates from the eighteenth century and is still in use.",
            "Guided tours are available in English and German during the summer season.",
            "The local museum tells the story of the region from the Stone Age to the present day.",
            "There are several campsites along the river, and most of them are open from May to September.",
        ],
    },
    "shop": {
        "title": "Shipping and returns",
        "sentences": [
            "We offer free shipping on all orders over 500 NOK.",
            "Orders are usually dispatched within two business days from our warehouse.",
            "If you are not satisfied with your purchase, you can return it within 30 days.",
            "All prices include VAT and are shown in Norwegian kroner.",
            "Our customer service team is available on weekdays between 9 am and 4 pm.",
            "Please note that personalised items cannot be exchanged or refunded.",
        ],
    },
    "hike": {
        "title": "Three days in the mountains",
        "sentences": [
            "We spent three days hiking in the mountains and the views were absolutely stunning.",
            "The trail was steep in places, but well marked and easy to follow.",
            "In the evening we cooked dinner on a small camping stove next to the lake.",
            "If you are planning a similar trip, make sure to bring warm clothes even in summer.",
            "On the second day the fog came in and we could barely see the next cairn.",
            "Thanks for reading, and feel free to leave a comment below!",
            "The cabins run by the trekking association were clean and surprisingly cosy.",
        ],
    },
    "news": {
        "title": "More money for public transport",
        "sentences": [
            "The government announced on Tuesday that it will increase funding for public transport.",
            "Critics say the plan does not go far enough to reduce emissions from road traffic.",
            "The proposal will be debated in parliament later this autumn.",
            "Bus fares in the largest cities will be frozen for at least two years.",
            "Several county councils have already warned that the money will not cover rising costs.",
            "The minister said the details would be presented together with the budget in October.",
        ],
    },
    "sport": {
        "title": "Late equaliser secures a point",
        "sentences": [
            "The match ended in a 2-2 draw after a late equaliser.",
            "The coach said after the game that he was proud of how the team had fought back.",
            "The club has not won the league since the early nineties.",
            "Almost four thousand supporters turned up despite the heavy rain.",
            "The young striker scored his first goal of the season just before half-time.",
            "Next weekend the team travels north to face the league leaders.",
        ],
    },
    "science": {
        "title": "Glacier lost a third of its volume",
        "sentences": [
            "Researchers at the university have found that the glacier has lost almost a third of its volume since 1990.",
            "The study, published in a leading climate journal, is based on satellite measurements and field work.",
            "The researchers warn that the trend is likely to continue for several decades.",
            "Meltwater from the glacier feeds a river that supplies two hydropower plants.",
            "Similar changes have been observed at most of the glaciers in southern Norway.",
            "The field team spent six weeks on the ice measuring snow depth and density.",
        ],
    },
    "recipe": {
        "title": "Simple apple cake",
        "sentences": [
            "Preheat the oven to 180 degrees and grease a round baking tin.",
            "Mix the flour, sugar and baking powder in a large bowl.",
            "Bake for 25 minutes or until a skewer comes out clean.",
            "Slice the apples thinly and press them gently into the batter.",
            "Serve the cake warm with whipped cream or a scoop of vanilla ice cream.",
            "This recipe was handed down from my grandmother, who baked it every autumn.",
        ],
    },
}

ENGLISH_SLOTS = {
    "en_town": ["Lindvik", "Sagvik", "Brekkvik", "Rosfjord", "Aurvik", "Ulvøy", "Hestnes"],
}
