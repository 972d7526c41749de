"""The synthetic vocabulary: actor classes and relations with their shares, hubs, and the tables names and quotes
are made of (syllables, places, nouns, verbs, claimants, filler)."""

from __future__ import annotations

# Actor classes (concrete ones of the ontology) and their share of the registry.
CLASS_SHARES = {
    "Person": 30,
    "Company": 15,
    "ArmedGroup": 9,
    "Group": 9,
    "Place": 9,
    "Facility": 8,
    "StateForce": 5,
    "Government": 5,
    "Movement": 5,
    "MediaOutlet": 5,
}
# Relations named by claims outside the ownership trees, and their share.
RELATION_SHARES = {
    "opposes": 14,
    "supports": 10,
    "attacked": 10,
    "memberOf": 10,
    "clashedWith": 8,
    "locatedIn": 8,
    "partnerOf": 6,
    "funds": 6,
    "leads": 5,
    "spokespersonFor": 4,
    "guards": 4,
    "defectedFrom": 3,
    "defectedTo": 3,
}
HUBS = [
    ("StateForce", "Myanmar military junta", ["the junta", "Tatmadaw", "State Administration Council", "စစ်ကောင်စီ"]),
    ("Movement", "Resistance forces", ["the resistance", "anti-regime groups"]),
    ("Government", "National Unity Government", ["NUG", "the shadow government"]),
    ("Company", "Union of Myanmar Economic Holdings Ltd", ["UMEHL", "Union of Myanmar Economic Holdings, Ltd"]),
    ("ArmedGroup", "People's Defence Force", ["PDF", "ပြည်သူ့ကာကွယ်ရေးတပ်"]),
]
SYLLABLES = "Aung Kyaw Min Thein Zaw Htun Myint Soe Win Tun Naing Hla Moe Thant Khin Nyein Sein Than Ye Phyo".split()  # noqa: SIM905
PLACES = "Sagaing Monywa Salingyi Mandalay Magway Pakokku Kale Hpakant Myitkyina Lashio Hpa-an Loikaw".split()  # noqa: SIM905
NOUNS = {
    "Company": ["Mining", "Trading", "Holdings", "Gems", "Timber", "Construction", "Logistics", "Copper"],
    "ArmedGroup": ["Defence Force", "Liberation Army", "Task Force", "People's Army", "Battalion"],
    "Group": ["villagers", "workers", "students", "farmers", "police officers", "monks"],
    "Facility": ["copper mine", "jade mine", "dam", "port", "airbase", "prison", "gas pipeline"],
    "StateForce": ["Light Infantry Division", "Police Battalion", "Military Operations Command"],
    "Government": ["Regional Government", "Ministry of Mines", "Ministry of Home Affairs"],
    "Movement": ["Strike Committee", "Civil Disobedience Movement", "General Strike Committee"],
    "MediaOutlet": ["News", "Now", "Times", "Post", "Herald", "Frontier"],
    "Place": ["Township", "Region", "village tract", "district"],
}
VERBS = {
    "opposes": "has called for an end to",
    "supports": "said it would back",
    "attacked": "launched an attack on",
    "memberOf": "is part of",
    "clashedWith": "fought with",
    "locatedIn": "lies in",
    "partnerOf": "signed a joint venture with",
    "funds": "paid money to",
    "leads": "heads",
    "spokespersonFor": "spoke on behalf of",
    "guards": "stands guard over",
    "defectedFrom": "deserted",
    "defectedTo": "joined",
    "owns": "owns",
    "controls": "controls",
    "operates": "runs",
    "subsidiaryOf": "is a subsidiary of",
}
CLAIMANTS = ["resistance sources", "local residents", "a military spokesperson", "a mine employee", "witnesses"]
FILLER = [
    "according to residents who asked not to be named",
    "in a statement released on Sunday",
    'in what locals called "a campaign of fear"',
    "despite repeated denials from the regime",
    "the group’s spokesperson told reporters",
    "as fighting spread across the region",
    "a claim that could not be independently verified",
]
