// The preview's "Remove more words": selecting words in the preview (an element marked
// data-mark-source) copies them into the "Words to remove" field and moves focus to the kind,
// so the author chooses what they are and removes them. Without JavaScript the author types them.
const panel = document.querySelector("[data-mark-words]");
const input = panel && panel.querySelector("input[name='words_to_remove']");
const kind = panel && panel.querySelector("select[name='remove_kind']");
const sources = document.querySelectorAll("[data-mark-source]");

function selectedWords() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
    return "";
  }
  const range = selection.getRangeAt(0);
  const inside = [...sources].some((source) => source.contains(range.commonAncestorContainer));
  return inside ? selection.toString().replace(/\s+/g, " ").trim() : "";
}

function copySelection() {
  const words = selectedWords();
  if (words && words.length <= input.maxLength) {
    input.value = words;
    kind.focus();
  }
}

if (input && kind && sources.length) {
  for (const source of sources) {
    source.addEventListener("mouseup", copySelection);
    source.addEventListener("keyup", (event) => {
      if (event.shiftKey) {
        copySelection();
      }
    });
  }
}
