"""The topic lexicon the claim suggester tags with, revised for the labelled set in
devtools/data/suggestion/ (its README says what each tag covers) and tuned on its train split
only: three new topics (artificial intelligence, semiconductors, climate); chip words move from
geopolitics to semiconductors; bare country names, "partnership" and "exports" leave
geopolitics (they tagged company deals, electricity exports and sports results); "mining",
"cloud" and "compute" leave decentralised compute (bauxite mining, AI hosting); units (MW, GW,
kWh...) and grid words join energy.

A seeded topic an editor has changed in admin is left as it is, and a new topic is added only
when no topic has its slug or name yet. Going back restores the keywords of 0006 on the seeded
topics still as this migration left them and removes the new topics still as it left them.
"""

from importlib import import_module

from django.db import migrations

SEEDED = ("energy", "geopolitics", "decentralised-compute")

TOPICS = {
    ("energy", "energy"): """
énergie
énergétique
électricité
électrique
réseau électrique
réseau de transport
gestionnaire du réseau
réseau
nucléaire
réacteur
centrale électrique
centrale nucléaire
centrale à charbon
centrale à gaz
centrale thermique
renouvelable
solaire
photovoltaïque
éolien
charbon
gaz
pétrole
térawatt
gigawatt
mégawatt
kilowatt
watt
TWh
GWh
MWh
kWh
Wh
GW
MW
kW
W
raccordement
poste source
transformateur
ligne à haute tension
consommation d'électricité
approvisionnement en énergie
panne de courant
EDF
RTE
ERCOT
energy
electricity
electrical
power
power grid
grid
nuclear
reactor
power plant
gas plant
utility
utilities
renewable
solar
photovoltaic
wind
coal
gas
natural gas
oil
terawatt
gigawatt
megawatt
kilowatt
transformer
transmission line
high-voltage
interconnection
blackout
Constellation
Three Mile Island
Dominion Energy
""",
    ("geopolitics", "geopolitics"): """
géopolitique
restriction à l'exportation
contrôle des exportations
exportation
licence d'exportation
sanction
restriction
licence
Occident
embargo
guerre
armement
souveraineté
suprématie
dépendance stratégique
Pékin
Washington
Moscou
Kremlin
gouvernement américain
gouvernement chinois
règles américaines
règlement européen sur les puces
production mondiale
geopolitics
geopolitical
export controls
export licence
export license
export ban
banned exports
restrictions on exports
sanctions
restrict
licence
license
war
arms race
sovereignty
strategic dependence
Beijing
Moscow
Kremlin
US government
Chinese government
Chips Act
tariffs
customs duties
droits de douane
""",
    ("decentralised compute", "decentralised-compute"): """
informatique décentralisée
décentralisé
blockchain
nœud
minage
mineur
ferme de rendu
calcul distribué
puissance de calcul
GPU
crypto
bitcoin
ethereum
proof of stake
proof of work
preuve de travail
preuve d'enjeu
decentralised
decentralized
node
crypto mining
bitcoin mining
miners
render farm
rendering
distributed computing
Akash
Core Scientific
Riot Platforms
""",
    ("artificial intelligence", "ai"): """
intelligence artificielle
IA
artificial intelligence
AI
centre de données
data centre
data center
hyperscale
entraînement de modèle
modèle d'IA
AI model
language model
inférence
inference
ChatGPT
OpenAI
DeepSeek
CoreWeave
""",
    ("semiconductors", "semiconductors"): """
semi-conducteur
semiconductor
puce
chip
chipmaking
chipmaker
Tokyo Electron
fonderie
foundry
fab
usine de puces
lithographie
lithography
nanomètre
nanometre
wafer
carte graphique
graphics card
gallium
germanium
Nvidia
TSMC
ASML
Intel
Ascend
H20
H100
""",
    ("climate", "climate"): """
climat
climatique
réchauffement
émissions
gaz à effet de serre
CO2
carbone
bas carbone
décarboné
neutralité carbone
climate
warming
emissions
greenhouse gas
carbon
carbon-free
carbon-negative
net zero
pre-industrial
Copernicus
""",
}


def _keywords(text):
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


def _seed_0006():
    module = import_module("claims.migrations.0006_seed_topic_lexicon")
    return {slug: keywords for (_name, slug), keywords in module.TOPICS.items()}


def forward(apps, schema_editor):
    Topic = apps.get_model("claims", "Topic")
    old = _seed_0006()
    for (name, slug), keywords in TOPICS.items():
        text = "\n".join(_keywords(keywords)) + "\n"
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            if not Topic.objects.filter(name=name).exists():
                Topic.objects.create(name=name, slug=slug, keywords=text)
        elif slug in SEEDED and _keywords(topic.keywords) == _keywords(old[slug]):
            topic.keywords = text
            topic.save(update_fields=["keywords"])


def backward(apps, schema_editor):
    Topic = apps.get_model("claims", "Topic")
    old = _seed_0006()
    for (_name, slug), keywords in TOPICS.items():
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None or _keywords(topic.keywords) != _keywords(keywords):
            continue
        if slug in SEEDED:
            topic.keywords = "\n".join(_keywords(old[slug])) + "\n"
            topic.save(update_fields=["keywords"])
        else:
            topic.delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0015_editors_review_the_claim_graph")]

    operations = [migrations.RunPython(forward, backward)]
