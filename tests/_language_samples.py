"""Hand-made news paragraphs in German, French, Chinese, Malay and English (written for these tests).

Each pair is a translation; ``SENTENCES`` holds how each text should be split.
"""
from __future__ import annotations

GERMAN = (
    "Die Regierung hat am Sonntag, 4. Februar neue Regeln für Kliniken beschlossen. "
    "Ärzte begrüßen den Plan, warnen aber vor zu wenig Personal. "
    "Dr. Anna Keller sagte, die Reform komme spät.\n\n"
    "Die Kosten liegen bei 2,5 Milliarden Euro. "
    "Über die Finanzierung soll im März beraten werden."
)
FRENCH = (
    "Le gouvernement a adopté dimanche 4 février de nouvelles règles pour les cliniques. "
    "À la suite de cette décision, les médecins saluent le plan mais craignent un manque de personnel. "
    "Selon M. Dupont, la réforme arrive tard.\n\n"
    "Le coût s'élève à 2,5 milliards d'euros. "
    "Le financement sera discuté en mars."
)
CHINESE = (
    "政府周日通过了医院的新规定。医生们欢迎这一计划，但担心人手不足。"
    "凯勒博士说，改革来得太晚了。\n\n"
    "费用为25亿欧元。融资问题将在三月讨论。"
)
ENGLISH = (
    "The government adopted new rules for hospitals on Sunday. "
    "Doctors welcome the plan but fear a shortage of staff. "
    "Dr. Anna Keller said the reform comes late.\n\n"
    "The cost is 2.5 billion euros. "
    "Financing will be discussed in March."
)
MALAY = (
    "Kerajaan telah meluluskan peraturan baharu untuk hospital pada hari Ahad. "
    "Doktor menyambut baik rancangan itu tetapi bimbang kekurangan kakitangan. "
    "Dr. Anna Keller berkata pembaharuan itu datang lewat.\n\n"
    "Kosnya ialah 2.5 bilion euro. "
    "Pembiayaan akan dibincangkan pada bulan Mac."
)

SENTENCES = {
    "de": [
        "Die Regierung hat am Sonntag, 4. Februar neue Regeln für Kliniken beschlossen.",
        "Ärzte begrüßen den Plan, warnen aber vor zu wenig Personal.",
        "Dr. Anna Keller sagte, die Reform komme spät.",
        "Die Kosten liegen bei 2,5 Milliarden Euro.",
        "Über die Finanzierung soll im März beraten werden.",
    ],
    "fr": [
        "Le gouvernement a adopté dimanche 4 février de nouvelles règles pour les cliniques.",
        "À la suite de cette décision, les médecins saluent le plan mais craignent un manque de personnel.",
        "Selon M. Dupont, la réforme arrive tard.",
        "Le coût s'élève à 2,5 milliards d'euros.",
        "Le financement sera discuté en mars.",
    ],
    "zh": ["政府周日通过了医院的新规定。", "医生们欢迎这一计划，但担心人手不足。", "凯勒博士说，改革来得太晚了。",
           "费用为25亿欧元。", "融资问题将在三月讨论。"],
    "ms": [
        "Kerajaan telah meluluskan peraturan baharu untuk hospital pada hari Ahad.",
        "Doktor menyambut baik rancangan itu tetapi bimbang kekurangan kakitangan.",
        "Dr. Anna Keller berkata pembaharuan itu datang lewat.",
        "Kosnya ialah 2.5 bilion euro.",
        "Pembiayaan akan dibincangkan pada bulan Mac.",
    ],
}
TEXTS = {"de": GERMAN, "fr": FRENCH, "zh": CHINESE, "ms": MALAY, "en": ENGLISH}
