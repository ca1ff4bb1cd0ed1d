"""People's names: word lists for what a name may be, context for whether it is one here.

1. Classify each word: a participant's name, a definite name (Amira, Khan), a weak one that is
   also an ordinary word or place (Hope, White, Jordan), an unknown capitalised word, or none.
2. Join neighbouring candidates into runs ("Amira Khan", "Mr Tom White", "KHAN, Amira").
3. Accept a run with a definite name, or a weak or unknown one with context: a title before,
   a family or role noun or "called" before, a verb, possessive, age or "who" after, or a
   capital in mid-sentence where nothing suggests another reading.
4. A word accepted once is a name everywhere in the text (Mr White ... White said).
5. Each mention records clues to whether the person is a child or an adult (ages.py).

reader.py reads one run of words (steps 1 to 3), with the clues around a word in clues.py;
mentions.py finds every mention (steps 4, 5).
"""

from casenotes.redaction.names.mentions import find
from casenotes.redaction.names.reader import NAMEISH, Accepted, Mention, Reader

__all__ = ["NAMEISH", "Accepted", "Mention", "Reader", "find"]
