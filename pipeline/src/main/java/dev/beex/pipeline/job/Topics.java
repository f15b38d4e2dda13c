package dev.beex.pipeline.job;

import java.util.List;

/** The six Kafka topics of one beex job. */
public record Topics(String text, String control, String predictions, String hardExamples,
                     String deadLetters, String modelEvents) {

    public static final Topics DEFAULT = new Topics("beex.text", "beex.control", "beex.predictions",
            "beex.hard-examples", "beex.dead-letters", "beex.model-events");

    public Topics {
        for (String t : new String[] {text, control, predictions, hardExamples, deadLetters, modelEvents}) {
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("topic names must not be empty");
            }
        }
        List<String> outputs = List.of(predictions, hardExamples, deadLetters, modelEvents);
        if (outputs.contains(text) || outputs.contains(control) || text.equals(control)) {
            throw new IllegalArgumentException("the text and control topics must differ from each other and from the output topics");
        }
    }

    /** The four topics the job writes: predictions, hard examples, dead letters, model events. */
    public List<String> outputs() {
        return List.of(predictions, hardExamples, deadLetters, modelEvents);
    }

    /** Every topic, inputs first. */
    public List<String> all() {
        return List.of(text, control, predictions, hardExamples, deadLetters, modelEvents);
    }
}
