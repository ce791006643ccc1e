"""The first topics of the lexicon the claim suggester tags with (editable in admin)."""

from django.db import migrations

TOPICS = {
    ("energy", "energy"): """
énergie
énergétique
électricité
électrique
réseau électrique
réseau
nucléaire
réacteur
centrale
renouvelable
solaire
éolien
charbon
gaz
pétrole
térawatt
gigawatt
mégawatt
TWh
GWh
consommation d'électricité
approvisionnement en énergie
energy
electricity
electric
power grid
grid
nuclear
reactor
power plant
renewable
solar
wind power
coal
natural gas
oil
terawatt
gigawatt
megawatt
blackout
""",
    ("geopolitics", "geopolitics"): """
géopolitique
semi-conducteur
puce
restriction
sanction
embargo
exportation
contrôle des exportations
Chine
États-Unis
Occident
Russie
Taïwan
guerre
armement
missile
alliance
partenariat
souveraineté
suprématie
nations
influence
corridor
geopolitics
geopolitical
semiconductor
chip
export controls
exports
restrictions
sanctions
China
United States
West
Russia
Taiwan
war
arms race
alliance
partnership
sovereignty
influence
tariff
""",
    ("decentralised compute", "decentralised-compute"): """
informatique décentralisée
décentralisé
blockchain
nœud
minage
ferme de rendu
calcul distribué
puissance de calcul
GPU
cloud
crypto
bitcoin
ethereum
decentralised
decentralized
node
mining
miners
render farm
rendering
distributed computing
compute
proof of stake
proof of work
""",
}


def seed(apps, schema_editor):
    Topic = apps.get_model("claims", "Topic")
    for (name, slug), keywords in TOPICS.items():
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "keywords": keywords.strip() + "\n"}
        )


def unseed(apps, schema_editor):
    apps.get_model("claims", "Topic").objects.filter(
        slug__in=[slug for _name, slug in TOPICS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_evidence_recheck_schedule")]

    operations = [migrations.RunPython(seed, unseed)]
