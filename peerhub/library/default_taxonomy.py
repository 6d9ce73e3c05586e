"""The taxonomy that ships with the hub. Curators and administrators change it in the hub
afterwards; this is only the starting point (installed by a data migration).

Each vocabulary: (slug, name, question, [terms]); a term is a name or (name, [child names])."""

DEFAULT_TAXONOMY = [
    ("condition", "Condition", "Which conditions is it about?", [
        ("Mental health", ["Anxiety", "Depression", "Psychosis", "Eating disorders", "Post-traumatic stress (PTSD)",
                           "Self-harm and suicide prevention", "Perinatal mental health"]),
        ("Long-term physical conditions", ["Diabetes", "Heart disease", "Stroke", "Chronic obstructive pulmonary disease (COPD)",
                                           "Asthma", "Chronic pain", "Arthritis", "Multiple sclerosis",
                                           "ME/CFS (myalgic encephalomyelitis / chronic fatigue syndrome)", "Long COVID"]),
        "Cancer",
        "HIV",
        "Dementia",
        ("Substance use", ["Alcohol", "Drugs", "Gambling"]),
        "Learning disability",
        "Autism",
        "Sensory impairment",
        "Maternity and early parenthood",
        "End of life and bereavement",
    ]),
    ("community", "Community", "Which communities does it serve?", [
        "Carers and families", "Children and young people", "Older people", "Men", "Women",
        "LGBTQ+ people", "Black, Asian and minority ethnic communities", "Refugees and asylum seekers",
        "Veterans and armed forces", "People experiencing homelessness", "People in contact with the justice system",
        "Disabled people", "Rural communities", "Health and care staff",
    ]),
    ("format", "Peer support format", "How is the peer support given?", [
        "One-to-one", "Group", "Online", "Telephone", "Peer-led", "Professionally facilitated",
        "Peer support workers in services", "Self-help and mutual aid",
    ]),
    ("setting", "Setting", "Where does it take place?", [
        "Primary care", "Community", "Hospital", "Workplace", "Online", "Other setting",
    ]),
    ("audience", "Audience", "Who is it for?", [
        "Commissioners", "Health and care professionals", "Peer support organisations and workers",
        "People looking for peer support",
    ]),
    ("purpose", "Purpose", "What will it help you do?", [
        "Understand", "Set up", "Measure and evaluate", "Sustain", "Grow",
    ]),
    ("challenge", "Challenge area", "Which of the Lab's challenge areas does it address?", [
        "Access", "Buy-in and culture", "Evidence", "Workforce",
    ]),
]
