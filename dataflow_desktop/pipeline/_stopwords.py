"""Function words of seven languages, shared by the OCR quality check and the analysis.

Lists of the most frequent closed-class words (articles, pronouns, prepositions,
conjunctions, auxiliaries), written for this project. Function words make up 40-50 %
of running text in every one of these languages, which is what both users rely on:
language identification counts them, and OCR output with almost none is garbage
(an upside-down page), whatever the document is about.
"""

from __future__ import annotations

__all__ = ["ALL_STOPWORDS", "STOPWORDS"]

_EN = """
a about above after again against all am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in
into is it its itself just me more most my myself no nor not now of off on once only or
other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up
very was we were what when where which while who whom why will with would you your
yours yourself yourselves shall may must per via within without also upon please
"""

_FR = """
a à afin ai aie aient ainsi alors après as au aucun aucune auprès aussi autre autres aux
avaient avais avait avant avec avez avoir avons ayant c ça car ce ceci cela celle celles
celui cependant ces cet cette ceux chaque chez ci comme comment d dans de depuis des dès
donc dont du elle elles en encore entre es est et étaient était été être eu eux fait
font hors il ils j je jusqu jusque l la là le les leur leurs lors lorsque lui m ma mais
me même mes moi moins mon n ne ni nos notre nous on ont ou où par parce pas pendant peu
peut plus plusieurs pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa
sans se selon ses si sien son sont sous soyez suis sur t ta te tes toi ton tous tout
toute toutes très tu un une vers via vos votre vous y sera seront ceci veuillez
"""

_DE = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
anderes auch auf aus bei bin bis bist da damit dann das dass dem den denn der des dich
die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen
einer eines er es etwas euch euer eure für gegen gewesen hab habe haben hat hatte hatten
hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist
jede jedem jeden jeder jedes jene jetzt kann kein keine können könnte machen man manche
mein meine mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
seinem seinen seiner sich sie sind so solche soll sollte sondern sonst über um und uns
unser unsere unter vom von vor während war waren warum was weil welche welchem welchen
welcher wenn wer werde werden wie wieder will wir wird wo wollen würde zu zum zur zwischen
bitte sowie gemäß bzw
"""

_ES = """
a al algo algunas algunos ante antes como con contra cual cuando de del desde donde
durante e el él ella ellas ellos en entre era erais eran eras eres es esa esas ese eso
esos esta está están estas este esto estos fue fueron fui ha habéis han has hasta hay
la las le les lo los más me mi mí mis mucho muy nada ni no nos nosotros o os otra otras
otro otros para pero poco por porque que qué quien quienes se sea sean según ser si sí
sido sin sobre son su sus también tanto te tenemos tiene tienen todo todos tu tú tus un
una uno unos usted ustedes y ya yo cada mediante hacia puede pueden
"""

_IT = """
a ad agli ai al alla alle allo anche avere aveva avevano c che chi ci come con contro
cui da dagli dai dal dalla dalle dallo degli dei del dell della delle dello di dove e
è ed era erano essere gli ha hanno ho i il in io l la le lei li lo loro lui ma mi mio
mia ne negli nei nel nella nelle nello noi non nostro nostra o ogni per perché più poi
quale quando quanto quella quelle quello questa queste questo questi se sé sei si sia
siamo siete sono su sua sue sui sul sulla sulle suo suoi tra tutti tutto un una uno
vi voi stato stata essere fra presso tramite secondo
"""

_NL = """
aan al alle als alles ben bij daar dan dat de der deze die dit doch doen door dus een
eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand
iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets
nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel
voor want waren was wat we wel werd wezen wie wij wil worden wordt zal ze zelf zich zij
zijn zo zonder zou tussen volgens binnen graag
"""

_PT = """
a à ao aos as às até com como da das de dela dele deles depois do dos e é ela elas ele
eles em entre era eram essa essas esse esses esta está estão estas este estes eu foi
foram há isso isto já lhe lhes mais mas me mesmo meu minha muito na não nas nem no nos
nós nossa nosso num numa o os ou para pela pelas pelo pelos por qual quando que quem se
seja sem ser seu seus só sua suas também te tem têm tu um uma você vocês vos pois sobre
segundo através cada pode podem
"""

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(_EN.split()),
    "fr": frozenset(_FR.split()),
    "de": frozenset(_DE.split()),
    "es": frozenset(_ES.split()),
    "it": frozenset(_IT.split()),
    "nl": frozenset(_NL.split()),
    "pt": frozenset(_PT.split()),
}
"""Function words per ISO 639-1 language code, lowercase."""

ALL_STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS.values())
"""The union of :data:`STOPWORDS`."""
