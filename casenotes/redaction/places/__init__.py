"""Street addresses and flats, and the names of schools and colleges."""

from casenotes.redaction.places.addresses import addresses
from casenotes.redaction.places.estates import estates
from casenotes.redaction.places.lower_schools import lower_case_schools
from casenotes.redaction.places.prose import labelled_addresses
from casenotes.redaction.places.school_places import school_places
from casenotes.redaction.places.schools import schools
from casenotes.redaction.places.streets import street_names

__all__ = [
    "addresses",
    "estates",
    "labelled_addresses",
    "lower_case_schools",
    "school_places",
    "schools",
    "street_names",
]
