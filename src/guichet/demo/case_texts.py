"""What people write in the demo's requests: residents' answers, agents' reasons, notes, messages.

Invented data of the demo city, in French like its residents and agents (not interface text, so
not translated). Keys are form field keys, or a procedure's slug where the text depends on it.
"""

from __future__ import annotations

from typing import NamedTuple

# Residents' answers --------------------------------------------------------------------------

# question-generale: sujet → (objet, message) pairs.
QUESTIONS: dict[str, list[tuple[str, str]]] = {
    "etat_civil": [
        ("Livret de famille perdu", "Bonjour, j'ai perdu mon livret de famille lors de mon "
         "déménagement. Comment en obtenir un second ? Merci d'avance."),
        ("Erreur sur un acte", "Bonjour, le prénom de ma fille est mal orthographié sur l'extrait "
         "d'acte de naissance reçu hier (Maëlle et non Maelle). Que dois-je faire ?"),
    ],
    "ecole": [
        ("Changement d'école en cours d'année", "Bonjour, nous déménageons dans le quartier du "
         "Palais en février. Notre fils peut-il changer d'école avant les vacances ?"),
        ("Facture de cantine", "Bonjour, la facture de cantine de janvier compte 3 repas alors "
         "que ma fille était malade (certificat médical à l'appui). Merci de la corriger."),
    ],
    "petite_enfance": [
        ("Délai pour une place en crèche", "Bonjour, nous avons déposé une demande de place en "
         "crèche il y a quatre mois. Savez-vous quand la commission se réunira ?"),
    ],
    "social": [
        ("Aide pour remplir un dossier", "Bonjour, ma mère a 84 ans et ne sait pas utiliser "
         "internet. Qui peut l'aider à faire sa demande d'aide à domicile ?"),
    ],
    "espace_public": [
        ("Bruit de la balayeuse à 5 h du matin", "Bonjour, la balayeuse passe tous les jours vers "
         "5 h rue de Brie et réveille tout l'immeuble. Peut-elle passer plus tard ?"),
        ("Stationnement devant l'école", "Bonjour, des voitures stationnent tous les matins sur le "
         "passage piéton devant l'école Jean-Jaurès. C'est dangereux pour les enfants."),
    ],
    "urbanisme": [
        ("Déclaration pour une clôture", "Bonjour, faut-il une déclaration préalable pour "
         "remplacer la clôture de mon jardin par un grillage de 1,80 m ?"),
    ],
    "vie_locale": [
        ("Forum des associations", "Bonjour, notre club de tennis de table voudrait un stand au "
         "forum des associations de septembre. Comment s'inscrire ?"),
    ],
    "autre": [
        ("Horaires de la mairie annexe", "Bonjour, la mairie annexe du Mont-Mesly est-elle "
         "ouverte le lundi matin ? Le site indique des horaires différents de l'affichage."),
        ("Remerciements", "Bonjour, je voulais remercier l'agent de l'accueil qui m'a aidée "
         "mardi pour ma carte d'identité. Très bon accueil, merci."),
        ("Objet trouvé", "Bonjour, j'ai oublié un sac de sport bleu au gymnase Casalis samedi "
         "dernier. A-t-il été rapporté ?"),
    ],
}  # fmt: skip

# signalement-espace-public: catégorie → descriptions.
REPORTS: dict[str, list[str]] = {
    "eclairage": [
        "Le lampadaire devant chez moi est éteint depuis une semaine, la rue est très sombre.",
        "Trois lampadaires de suite clignotent toute la nuit le long du parc.",
    ],
    "voirie": [
        "Un trou d'une vingtaine de centimètres dans la chaussée, juste après le passage piéton.",
        "Le trottoir est soulevé par les racines, une dame âgée est tombée hier.",
        "Le panneau stop est couché au sol depuis le coup de vent de dimanche.",
    ],
    "proprete": [
        "Un dépôt sauvage (matelas, sacs de gravats) au pied de l'immeuble depuis trois jours.",
        "La corbeille de l'arrêt de bus déborde depuis le week-end.",
    ],
    "tags": [
        "Des tags sur le mur de l'école maternelle, côté rue.",
        "Un grand graffiti sur la façade de la salle des fêtes.",
    ],
    "mobilier": [
        "Le banc de l'aire de jeux est cassé, une planche manque.",
        "L'abribus a une vitre brisée, il y a des éclats de verre sur le trottoir.",
    ],
    "espaces_verts": [
        "Une grosse branche menace de tomber sur l'allée du parc.",
        "La haie déborde sur le trottoir, on ne peut plus passer avec une poussette.",
    ],
    "autre": [
        "Une fuite d'eau sur le trottoir depuis ce matin, l'eau coule vers la chaussée.",
        "Un véhicule ventouse stationné depuis plus d'un mois, pneus à plat.",
    ],
}

BULKY_ITEMS: dict[str, list[str]] = {
    "meubles": ["un canapé trois places", "une armoire démontée", "une table et quatre chaises",
                "un buffet", "une commode"],
    "literie": ["un matelas 140 × 190", "un sommier", "un lit superposé démonté"],
    "electromenager": ["un réfrigérateur", "une machine à laver", "un four", "une cuisinière"],
    "velos_poussettes": ["deux vélos d'enfant", "une poussette", "un vélo rouillé"],
    "autres": ["un meuble de salle de bain", "des étagères", "un barbecue"],
}  # fmt: skip

FIELD_TEXTS: dict[str, list[str]] = {
    "sante_precisions": [
        "Allergie à l'arachide : trousse d'urgence dans le cartable, PAI signé.",
        "Asthme : Ventoline dans le sac, à donner en cas de crise.",
    ],
    "allergie_precisions": [
        "Allergie aux fruits à coque (noix, noisettes, amandes).",
        "Intolérance au lactose : pas de laitage.",
        "Maladie cœliaque : régime sans gluten.",
    ],
    "urgence_precisions": [
        "Coupure d'électricité annoncée pour la fin du mois.",
        "Plus rien pour nourrir les enfants cette semaine.",
        "Menace d'expulsion, audience le mois prochain.",
    ],
    "aide-sociale-facultative:situation": [
        "Je viens de perdre mon emploi et les indemnités ne sont pas encore versées. Je n'arrive "
        "plus à payer la facture d'électricité.",
        "Je vis seule avec mes deux enfants. La CAF a suspendu mes allocations le temps de "
        "revoir mon dossier et je n'ai plus de quoi faire les courses.",
        "Retraité, ma pension est faible et j'ai eu une grosse dépense de santé (prothèse "
        "dentaire). Je demande une aide pour le loyer de ce mois.",
    ],
    "autres_charges": [
        "Électricité 85 €, assurance 30 €, téléphone 25 €.",
        "Crédit voiture 180 € par mois, cantine des enfants 60 €.",
    ],
    "suivi_par": [
        "Mme Perrot, assistante sociale de l'Espace départemental des solidarités",
        "Conseiller France Travail, agence de Créteil",
    ],
    "acces": [
        "Bâtiment B, code 4512A. Je descends les objets au pied de l'immeuble.",
        "Résidence des Sablières, entrée 3, local vélos au rez-de-chaussée.",
    ],
    "aide_precisions": [
        "Je ne peux pas porter de charges lourdes (opération du dos).",
        "Personne âgée seule, 3e étage sans ascenseur.",
    ],
    "explication_derogation": [
        "Mon aîné est déjà scolarisé dans cette école : c'est plus simple pour les trajets.",
        "La nounou qui garde notre fils après l'école habite juste à côté de cette école.",
        "Je travaille en horaires décalés à côté de cette école et je dépose mon enfant à 8 h.",
    ],
    "association": [
        "Association des parents d'élèves Jean-Jaurès",
        "Club de scrabble cristolien",
        "Amicale des locataires des Sablières",
    ],
    "organisme": ["Conseil syndical de la résidence du Lac", "Comité des fêtes du Palais"],
    "location-salle:description": [
        "Assemblée générale annuelle de l'association, suivie d'un pot.",
        "Anniversaire des 60 ans de ma mère, repas en famille.",
        "Répétition et spectacle de fin d'année de l'atelier théâtre.",
    ],
    "salle_souhaitee": [
        "Salle des fêtes du Mont-Mesly",
        "Maison des associations",
        "Salle Georges-Brassens",
    ],
    "raison_sociale": ["Déménagements Lefort", "Bâtiment Rénovation 94", "Café du Marché"],
    "motif_precisions": ["Livraison d'une cuve de fioul", "Tournage d'un court métrage"],
    "occupation-domaine-public:horaires": ["8 h – 18 h", "7 h 30 – 12 h", "Toute la journée"],
    "mobilier": ["4 tables et 16 chaises pliantes, 2 parasols, des jardinières en bois."],
    "place-creche:horaires": ["8 h 30 – 17 h 30", "9 h – 16 h", "7 h 45 – 18 h 15"],
    "creches_souhaitees": [
        "Crèche des Petits Loups, crèche Kennedy",
        "Multi-accueil du Mont-Mesly",
        "La plus proche de notre domicile",
    ],
    "besoin_precisions": ["Notre fille a un léger retard moteur, suivi au CAMSP."],
    "changement_precisions": [
        "Séparation depuis le mois dernier : je vis seule avec mes deux enfants.",
        "Naissance de notre troisième enfant.",
        "Perte d'emploi de mon conjoint.",
    ],
}

# Agents' decisions, by procedure slug (a "" key is the default of every procedure) ------------

ACCEPTED: dict[str, list[str]] = {
    "": ["Votre demande est acceptée. Le service reste à votre disposition pour toute question."],
    "acte-naissance": [
        "L'acte vous a été envoyé par courrier ce jour, à l'adresse indiquée.",
        "Copie envoyée par courrier ; comptez deux à trois jours d'acheminement.",
    ],
    "acte-mariage": ["L'acte de mariage vous a été envoyé par courrier ce jour."],
    "acte-deces": ["Les copies de l'acte de décès vous ont été envoyées par courrier ce jour."],
    "inscription-scolaire": [
        "Inscription enregistrée. Le certificat d'inscription vous est envoyé par courriel : "
        "présentez-le au directeur de l'école pour l'admission.",
    ],
    "restauration-scolaire": [
        "Inscription à la cantine enregistrée à partir de la date demandée.",
    ],
    "accueil-periscolaire": [
        "Inscription à l'accueil périscolaire enregistrée. Réservez les mercredis sur le portail "
        "famille.",
    ],
    "quotient-familial": ["Votre quotient familial est enregistré ; il s'applique dès le mois "
                          "prochain sur vos factures."],
    "place-creche": ["Votre demande est enregistrée sur la liste d'attente ; elle sera étudiée à "
                     "la prochaine commission d'attribution."],
    "encombrants": [
        "Collecte programmée : sortez vos objets la veille au soir devant votre domicile.",
        "Rendez-vous de collecte fixé ; l'équipe passera entre 7 h et 12 h.",
    ],
    "signalement-espace-public": [
        "Intervention réalisée par les services techniques : le problème est réglé. Merci pour "
        "votre signalement.",
        "Le lieu a été sécurisé et la réparation est faite.",
    ],
    "aide-sociale-facultative": [
        "Aide accordée par la commission permanente du CCAS : un bon d'achat alimentaire vous "
        "sera remis au Centre social Kennedy.",
        "Aide accordée : le CCAS règle directement une partie de votre facture d'énergie.",
    ],
    "question-generale": [
        "Réponse apportée par le service concerné. N'hésitez pas à nous recontacter.",
        "Nous avons transmis votre remarque au service concerné, qui vous a répondu.",
    ],
    "demenagement": ["Votre changement d'adresse est enregistré et transmis aux services cochés."],
    "location-salle": ["Réservation confirmée. La convention d'occupation vous est envoyée."],
    "occupation-domaine-public": ["Autorisation délivrée : l'arrêté vous est envoyé par courriel. "
                                  "Affichez-le sur place 48 heures avant."],
}  # fmt: skip

REJECTED: dict[str, list[str]] = {
    "": ["Votre demande ne peut pas être acceptée : elle ne relève pas de notre commune."],
    "acte-naissance": [
        "La personne n'est pas née dans notre commune : adressez-vous à la mairie du lieu de "
        "naissance.",
    ],
    "acte-mariage": ["Aucun mariage à ces noms n'a été célébré dans notre commune."],
    "inscription-scolaire": [
        "Dérogation refusée : l'école demandée n'a plus de place dans ce niveau. Votre enfant est "
        "inscrit dans l'école de votre secteur.",
    ],
    "encombrants": [
        "Ces objets ne sont pas collectés comme encombrants (gravats, pneus) : déposez-les à la "
        "déchetterie.",
    ],
    "signalement-espace-public": [
        "Ce lieu appartient au Département (route départementale) : nous lui avons transmis votre "
        "signalement.",
    ],
    "aide-sociale-facultative": [
        "Vos ressources dépassent le plafond du règlement des aides facultatives. Une assistante "
        "sociale peut vous recevoir pour étudier d'autres aides.",
    ],
    "location-salle": ["La salle est déjà réservée à cette date : proposez-nous une autre date."],
    "occupation-domaine-public": ["L'emplacement demandé gêne l'accès des secours : nous vous "
                                  "proposons de déposer une nouvelle demande rue voisine."],
}  # fmt: skip

CANCELLED_BY_AGENT = [
    "Demande en double : nous poursuivons le traitement de votre autre demande.",
    "Annulée à la demande de l'usager, par téléphone.",
]
CANCELLED_WITHOUT_ANSWER = [
    "Sans réponse de votre part, nous clôturons la demande. Vous pouvez en déposer une nouvelle "
    "à tout moment.",
]
CANCELLED_BY_RESIDENT = [
    "Je n'en ai plus besoin, merci.",
    "J'ai fait la démarche directement à l'accueil.",
    "Erreur de ma part, je refais la demande.",
]


class InformationRequest(NamedTuple):
    """What a department asks a resident for, and how the resident answers."""

    reason: str  # shown with the status
    message: str  # the department's message explaining it
    reply: str  # the resident's answer
    with_piece: bool  # whether the answer comes with a file


# What departments ask residents for, by procedure slug ("" for any procedure).
INFORMATION_REQUESTS: dict[str, list[InformationRequest]] = {
    "": [
        InformationRequest(
            "Il manque une pièce justificative.",
            "Bonjour, pour traiter votre demande il nous manque une pièce justificative. Vous "
            "pouvez la joindre en répondant à ce message ou la déposer à l'accueil de la mairie.",
            "Bonjour, vous trouverez la pièce en pièce jointe. Merci.",
            True,
        ),
    ],
    "acte-naissance": [
        InformationRequest(
            "Précisez les noms des parents.",
            "Bonjour, nous ne retrouvons pas l'acte avec les informations données. Pouvez-vous "
            "nous préciser les noms et prénoms des parents de la personne ?",
            "Bonjour, les parents sont Jean et Martine, nom de naissance de la mère : Leroy.",
            False,
        ),
    ],
    "inscription-scolaire": [
        InformationRequest(
            "Le justificatif de domicile a plus de 3 mois.",
            "Bonjour, le justificatif de domicile joint date de plus de trois mois. Merci de nous "
            "envoyer une facture récente (électricité, gaz, internet) ou une quittance de loyer.",
            "Bonjour, voici une facture d'électricité du mois dernier. Bonne journée.",
            True,
        ),
    ],
    "quotient-familial": [
        InformationRequest(
            "Il manque l'avis d'imposition de votre conjoint.",
            "Bonjour, pour calculer votre quotient il nous faut aussi le dernier avis "
            "d'imposition de votre conjoint. Vous pouvez le joindre en réponse à ce message.",
            "Bonjour, je vous joins l'avis d'imposition de mon mari. Cordialement.",
            True,
        ),
    ],
    "aide-sociale-facultative": [
        InformationRequest(
            "Il manque vos trois derniers relevés de compte.",
            "Bonjour, pour présenter votre demande en commission, nous avons besoin de vos trois "
            "derniers relevés de compte. Vous pouvez aussi les apporter au Centre social Kennedy.",
            "Bonjour, voici mes relevés de compte. Merci de votre aide.",
            True,
        ),
    ],
    "encombrants": [
        InformationRequest(
            "Précisez l'accès à votre logement.",
            "Bonjour, pouvez-vous nous indiquer le code d'accès de la résidence et l'endroit où "
            "vous déposerez les objets ?",
            "Bonjour, le code est 2580B, je déposerai les objets près du local vélos.",
            False,
        ),
    ],
    "signalement-espace-public": [
        InformationRequest(
            "Précisez l'endroit exact.",
            "Bonjour, l'équipe n'a pas trouvé le problème à l'adresse indiquée. Pouvez-vous "
            "préciser le numéro le plus proche ou envoyer une photo ?",
            "Bonjour, c'est en face du numéro 14, côté pharmacie. Je vous joins une photo.",
            True,
        ),
    ],
    "location-salle": [
        InformationRequest(
            "Il manque l'attestation d'assurance.",
            "Bonjour, merci de nous transmettre l'attestation d'assurance responsabilité civile "
            "couvrant la manifestation.",
            "Bonjour, voici l'attestation de notre assureur.",
            True,
        ),
    ],
}

# A department informed by another request (moving house) records it.
FOLLOW_UP_RECORDED = [
    "Nouvelle adresse enregistrée dans nos fichiers.",
    "Information prise en compte, merci.",
]
RESIDENT_QUESTIONS = [
    "Bonjour, pouvez-vous me dire où en est ma demande ? Merci.",
    "Bonjour, j'ai changé de numéro de téléphone : 06 21 43 65 87. Merci.",
]
# The department resumes a case itself when the resident brought what was missing.
RESUMED_AT_COUNTER = [
    "Pièce déposée par l'usager à l'accueil de la mairie.",
    "Information donnée par l'usager au téléphone.",
]
NOTES: dict[str, list[str]] = {
    "": [
        "Appel de l'usager : il passera déposer la pièce jeudi.",
        "Dossier vu avec la responsable, rien de particulier.",
        "Usager rappelé pour confirmer les informations.",
    ],
    "population": ["Vérifié au registre : acte retrouvé.", "Mention marginale à reporter."],
    "education": ["École de secteur vérifiée sur la carte scolaire.",
                  "Fratrie déjà inscrite dans l'école."],
    "ccas": ["Situation connue de l'assistante sociale du secteur.",
             "Dossier présenté à la commission permanente de jeudi."],
    "espace-public": ["Bon d'intervention transmis à l'équipe voirie.",
                      "Photo prise sur place par l'équipe."],
}  # fmt: skip
