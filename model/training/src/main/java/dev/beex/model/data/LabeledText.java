package dev.beex.model.data;

/**
 * One labeled example: a stable id, the text, and its label (a string such as
 * {@code "spam"} or {@code "positive"}). The canonical splits hold the normalized text.
 */
public record LabeledText(String id, String text, String label) {
    public LabeledText {
        if (text == null) {
            throw new IllegalArgumentException("text is required");
        }
    }
}
