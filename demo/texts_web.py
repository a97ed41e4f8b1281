"""Web furniture and hand-written pieces for the demo corpora, written for this project.

Boilerplate lines (cookie notices, menus, share buttons, "Les også" lists,
footers), too-short pages, and a few texts written out in full: a 17 May speech,
a short story and an essay in Nynorsk.
"""

COOKIE_NB = [
    [
        "Vi bruker informasjonskapsler (cookies) for å gi deg en bedre opplevelse på nettstedet.",
        "Ved å fortsette å bruke siden godtar du vår bruk av informasjonskapsler.",
        "Godta alle",
        "Les mer om personvern",
    ],
    [
        "Denne nettsiden bruker cookies til statistikk og tilpassede annonser.",
        "Du kan når som helst endre samtykket ditt under Innstillinger.",
        "OK, jeg forstår",
    ],
    [
        "Vi og våre partnere lagrer og får tilgang til informasjon på enheten din.",
        "Klikk «Aksepter» for å godta, eller «Administrer valg» for å velge selv.",
        "Aksepter",
        "Administrer valg",
    ],
]

COOKIE_NN = [
    [
        "Vi nyttar informasjonskapslar for å gje deg ei betre oppleving på nettstaden.",
        "Ved å halde fram godtek du at vi nyttar informasjonskapslar.",
        "Godta alle",
    ],
    [
        "Denne nettsida brukar cookies til statistikk.",
        "Du kan endre samtykket ditt når som helst under Innstillingar.",
        "Eg forstår",
    ],
]

MENUS_NB = [
    ["Hjem", "Om oss", "Produkter", "Kontakt", "Logg inn", "Handlekurv (0)"],
    ["Forsiden", "Nyheter", "Sport", "Kultur", "Meninger", "Abonnement", "Søk"],
    ["Meny", "Hjem", "Blogg", "Oppskrifter", "Om meg", "Kontakt meg"],
]

MENUS_NN = [
    ["Heim", "Om oss", "Nyhende", "Kultur", "Kontakt", "Logg inn"],
    ["Framsida", "Bloggen", "Oppskrifter", "Om meg"],
]

SHARE_NB = ["Del på Facebook", "Del på X", "Del på LinkedIn", "Send på e-post", "Kopier lenke"]
SHARE_NN = ["Del på Facebook", "Del på X", "Send på e-post"]

FOOTERS_NB = [
    "© {nyår} {firma} AS. Alle rettigheter forbeholdt.",
    "Org.nr. {orgnr} | Ansvarlig redaktør: {person}",
    "Personvernerklæring | Informasjonskapsler | Salgsbetingelser",
    "Følg oss på Facebook og Instagram",
]
FOOTERS_NN = [
    "© {nyår} {firma} AS. Med einerett.",
    "Ansvarleg redaktør: {person}",
    "Personvern | Informasjonskapslar | Kontakt",
]

FIRMA = ["Fjordmedia", "Bygdenett", "Kystmedia", "Dalen Digital", "Nordvest Forlag", "Vikeposten"]

LES_OGSÅ_NB = [
    "Les også: Slik blir været i helgen",
    "Les også: Ny rundkjøring skaper kø i sentrum",
    "Les også: Disse skolene får nye lærere",
    "Les også: Rekordmange søkte sommerjobb",
    "Les også: Strømprisen stiger igjen",
    "Les også: Ordføreren svarer på kritikken",
    "Les også: Her er årets beste turmål",
    "Les også: Butikkene som har åpent i påsken",
    "Les også: Han fant en sjelden sopp i hagen",
]
LES_OGSÅ_NN = [
    "Les òg: Slik vert vêret i helga",
    "Les òg: Ny rundkøyring skaper kø i sentrum",
    "Les òg: Rekordmange søkte sommarjobb",
    "Les òg: Straumprisen stig att",
]

SHORT_NB = [
    "Siden du leter etter finnes ikke.",
    "Logg inn for å lese hele saken.",
    "Kommer snart!",
    "Ingen treff.",
]
SHORT_NN = [
    "Denne sida finst ikkje.",
    "Sida er under arbeid.",
]

SPEECH_17_MAI = [
    "Tale på 17. mai",
    "Kjære alle sammen, store og små!",
    "Gratulerer med dagen! Det er en ære å få stå her på skoleplassen i dag, med flaggene i vinden og korpset som nettopp har spilt seg gjennom hele bygda.",
    "For mange år siden sto jeg selv i toget med et altfor stort flagg og en is som smeltet fortere enn jeg rakk å spise den. Jeg husker at jeg lurte på hvorfor de voksne ble så rørte når de sang.",
    "I dag tror jeg at jeg forstår det litt bedre. Nasjonaldagen handler ikke bare om historien fra 1814, om Eidsvoll og grunnloven. Den handler om at vi har et fellesskap som vi må ta vare på hver eneste dag.",
    "Et fellesskap er ikke noe vi arver ferdig. Det blir til når naboen hjelper til med å måke trappa, når noen tar med seg en ny elev inn i leken, og når vi lytter til dem som mener noe annet enn oss selv.",
    "Her i bygda har vi sett hva dugnadsånden kan få til. Idrettsbanen, det nye ungdomshuset og turstien langs elva er bygget av folk som ga av fritiden sin, uten å spørre hva de fikk igjen.",
    "Til dere barn vil jeg si: Dere er ikke bare framtiden, dere er nåtiden også. Det dere mener, betyr noe allerede nå. Si fra, still spørsmål, og ikke slutt å være nysgjerrige.",
    "Og til dere som har levd lenge: Takk for at dere har bygget dette stedet og for at dere fortsatt deler av erfaringene deres.",
    "La oss rope et tredobbelt hurra for Norge og for alle som bor her! Hurra, hurra, hurra!",
]

STORY_NB = [
    "Vinterlys",
    "Det hadde snødd hele natten, og da Ingrid åpnet døren om morgenen, var trappen borte. Hun ble stående en stund og se utover jordet, der sporene etter reven gikk i en bue ned mot bekken.",
    "Faren hadde alltid sagt at den første snøen ikke var til å stole på. Den kom som en gjest som ikke hadde bestemt seg for om den ville bli. Men denne snøen var annerledes. Den la seg tungt over gjerdestolpene og trakk taket på låven ned mot bakken.",
    "Hun fant spaden i gangen og begynte å måke. Det var noe rolig med arbeidet, den jevne lyden av bladet mot trinnene og pusten som steg som røyk foran ansiktet.",
    "Da hun var ferdig, kom postbilen krabbende opp bakken. Sjåføren vinket og rullet ned vinduet. «Du er tidlig ute i dag», sa han, og rakte henne et brev med et frimerke hun ikke kjente igjen.",
    "Brevet var fra broren, som hadde reist til sjøs for nesten tjue år siden og aldri skrevet hjem. Håndskriften var den samme som i de gamle skolebøkene hans, litt skjev og altfor stor.",
    "Hun leste det ved kjøkkenbordet, to ganger, og så la hun det fra seg og satte på kaffen. Utenfor hadde det begynt å lysne. Snøen kastet lyset tilbake mot himmelen, og et øyeblikk virket det som om hele dalen holdt pusten.",
    "Om kvelden tente hun lyset i vinduet mot veien, slik moren pleide å gjøre da de ventet på noen. Hun visste ikke om han ville komme. Men hun ville at han skulle finne fram om han gjorde det.",
]

ESSAY_NN = [
    "Kvifor dialektane lever",
    "Det har vore spådd i over hundre år at dialektane i Noreg skal forsvinne. Først skulle skulen ta dei, så radioen, så fjernsynet og no til slutt internett. Likevel høyrer vi framleis kvar folk kjem frå når dei opnar munnen.",
    "Ein grunn er at dialekten er meir enn ein måte å uttale ord på. Han er ein del av kven vi er, og mange kjenner det som å gje opp noko av seg sjølv om dei skulle leggje om talemålet.",
    "Samtidig endrar dialektane seg heile tida. Ungdom i bygdene brukar ikkje dei same orda som besteforeldra, og mange gamle former har vorte borte. Men endring er ikkje det same som død.",
    "I mange land vert det sett på som lite dannande å snakke dialekt i offentlege samanhengar. Hos oss er det annleis. Statsrådar, programleiarar og professorar snakkar slik dei vaks opp med å snakke, og det er det få som reagerer på.",
    "Kanskje er det nettopp denne aksepten som held dialektane i live. Når ingen ventar at du skal tilpasse deg ein standard, er det heller ingen grunn til å gjere det.",
    "Det er likevel grunn til å vere merksam. Når folk flyttar meir enn før, og når barnehagar og skular samlar born frå mange stader, vert dei lokale særtrekka lett jamna ut. Kva for ord som overlever, veit vi ikkje.",
    "Difor er det verdt å lytte til dei eldre medan vi kan, og å skrive ned orda deira. Ikkje for å frysa språket fast, men for å hugse kvar vi kjem frå.",
]

HTML_STYLE = """body{font-family:Georgia,serif;margin:0;color:#222}
header,footer{background:#f4f1ea;padding:1rem}
.cookie-banner{position:fixed;bottom:0;left:0;right:0;background:#fffbe6;padding:1rem}
article p{line-height:1.6;max-width:42rem}"""

HTML_SCRIPT = """window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
gtag('js', new Date());
document.addEventListener('DOMContentLoaded', function () {
  var b = document.querySelector('.cookie-banner button');
  if (b) { b.addEventListener('click', function () { b.parentNode.remove(); }); }
});"""
