"""From each format's own type codes to the catalogue's resource types. Two steps, both tables:
the format's code to a generic kind, then the kind to a ResourceType. A code not in the table is
kept (raw_type) and the record is treated as a research study, with a warning for the curator."""

import re

from peerhub.library.models import ResourceType

KIND_TO_RESOURCE_TYPE = {
    "article": ResourceType.RESEARCH_STUDY,
    "systematic_review": ResourceType.SYSTEMATIC_REVIEW,
    "report": ResourceType.REPORT,
    "book": ResourceType.REPORT,
    "chapter": ResourceType.REPORT,
    "thesis": ResourceType.RESEARCH_STUDY,
    "conference": ResourceType.RESEARCH_STUDY,
    "dataset": ResourceType.RESEARCH_STUDY,
    "webpage": ResourceType.WEBSITE,
    "video": ResourceType.VIDEO_AUDIO,
    "policy": ResourceType.POLICY,
    "guideline": ResourceType.TOOLKIT,
    "other": ResourceType.RESEARCH_STUDY,
}

RIS_KINDS = {
    **dict.fromkeys(["JOUR", "JFULL", "EJOUR", "MGZN", "NEWS", "ABST", "INPR", "SER", "CASE"], "article"),
    **dict.fromkeys(["RPRT", "GOVDOC", "PAMP", "STAND"], "report"),
    **dict.fromkeys(["BOOK", "EBOOK", "EDBOOK"], "book"),
    **dict.fromkeys(["CHAP", "ECHAP"], "chapter"),
    "THES": "thesis",
    **dict.fromkeys(["CONF", "CPAPER"], "conference"),
    **dict.fromkeys(["ELEC", "WEB", "BLOG", "ICOMM"], "webpage"),
    **dict.fromkeys(["VIDEO", "SOUND", "MPCT", "ADVS", "MUSIC"], "video"),
    **dict.fromkeys(["BILL", "STAT", "LEGAL", "HEAR"], "policy"),
    **dict.fromkeys(["DATA", "DBASE", "AGGR"], "dataset"),
    **dict.fromkeys(["GEN", "UNPB", "MANSCPT", "UNBILL", "PCOMM", "GRANT", "DICT", "ENCYC"], "other"),
}

BIBTEX_KINDS = {
    "article": "article",
    **dict.fromkeys(["book", "booklet", "mvbook"], "book"),
    **dict.fromkeys(["inbook", "incollection", "bookinbook", "suppbook"], "chapter"),
    **dict.fromkeys(["inproceedings", "conference", "proceedings"], "conference"),
    **dict.fromkeys(["techreport", "report", "manual"], "report"),
    **dict.fromkeys(["phdthesis", "mastersthesis", "thesis"], "thesis"),
    **dict.fromkeys(["online", "www", "electronic", "webpage"], "webpage"),
    **dict.fromkeys(["misc", "unpublished"], "other"),
    "dataset": "dataset",
    **dict.fromkeys(["video", "audio", "movie"], "video"),
}

CSL_KINDS = {
    **dict.fromkeys(["article-journal", "article", "article-magazine", "article-newspaper", "review",
                     "review-book", "periodical"], "article"),
    "paper-conference": "conference",
    "report": "report",
    "book": "book",
    "chapter": "chapter",
    "thesis": "thesis",
    **dict.fromkeys(["webpage", "post", "post-weblog", "software"], "webpage"),
    **dict.fromkeys(["motion_picture", "broadcast", "song", "interview", "speech"], "video"),
    **dict.fromkeys(["legislation", "bill", "regulation", "legal_case", "treaty", "standard"], "policy"),
    "dataset": "dataset",
    **dict.fromkeys(["entry", "entry-dictionary", "entry-encyclopedia", "manuscript", "document",
                     "personal_communication"], "other"),
}

ENDNOTE_KINDS = {
    **dict.fromkeys(["journal article", "magazine article", "newspaper article", "electronic article"], "article"),
    **dict.fromkeys(["report", "government document", "pamphlet"], "report"),
    **dict.fromkeys(["book", "edited book", "electronic book"], "book"),
    **dict.fromkeys(["book section", "electronic book section"], "chapter"),
    "thesis": "thesis",
    **dict.fromkeys(["conference proceedings", "conference paper"], "conference"),
    **dict.fromkeys(["web page", "blog"], "webpage"),
    **dict.fromkeys(["film or broadcast", "audiovisual material", "podcast"], "video"),
    **dict.fromkeys(["statute", "bill", "legal rule or regulation", "case"], "policy"),
    "dataset": "dataset",
    **dict.fromkeys(["generic", "unpublished work", "manuscript"], "other"),
}

EPPI_KINDS = {
    **dict.fromkeys(["journal, article", "article in a periodical"], "article"),
    "report": "report",
    "book, whole": "book",
    "book, chapter": "chapter",
    "dissertation": "thesis",
    "conference proceedings": "conference",
    "document from internet site": "webpage",
    **dict.fromkeys(["dvd, video, media", "interview"], "video"),
    **dict.fromkeys(["research project", "generic"], "other"),
}

# MEDLINE publication types (PT), and the "Publication Type" columns of CSV exports.
PUBLICATION_TYPE_KINDS = {
    **dict.fromkeys(["systematic review", "meta-analysis", "cochrane review"], "systematic_review"),
    **dict.fromkeys(["practice guideline", "guideline", "consensus development conference"], "guideline"),
    **dict.fromkeys(["video-audio media", "webcast"], "video"),
    **dict.fromkeys(["legislation"], "policy"),
    **dict.fromkeys(["technical report", "government publication"], "report"),
    **dict.fromkeys(["journal article", "journal article", "review", "article", "clinical trial",
                     "randomized controlled trial", "comparative study", "letter", "editorial", "comment",
                     "conference paper"], "article"),
}
# Kinds that win over the main type when a record lists several publication types.
STRONGER_KINDS = ("systematic_review", "guideline", "video", "policy", "report")
# "Where the record says so": its title calls it a systematic review or meta-analysis.
SYSTEMATIC_TITLE_RE = re.compile(r"\b(systematic(?:\s+\w+)?\s+review|meta-?analy[sz]\w*|umbrella review)\b", re.I)


def kind_from_publication_types(publication_types) -> str | None:
    kinds = [PUBLICATION_TYPE_KINDS.get(p.strip().lower()) for p in publication_types]
    for strong in STRONGER_KINDS:
        if strong in kinds:
            return strong
    return next((k for k in kinds if k), None)


def guess_resource_type(kind: str | None, *, title: str = "", publication_types=()) -> str:
    """A ResourceType for the record: the main type, refined by publication types and the title."""
    refined = kind_from_publication_types(publication_types)
    if refined in STRONGER_KINDS or kind is None:
        kind = refined or kind
    kind = kind or "other"
    if kind in {"article", "other", "report"} and SYSTEMATIC_TITLE_RE.search(title or ""):
        kind = "systematic_review"
    return KIND_TO_RESOURCE_TYPE[kind]
