package dev.beex.operators;

/** The stable codes written to {@code DeadLetter.reason}; {@code detail} says more. */
public enum DeadLetterReason {
    /** The bytes are not a message of the input format (bad Avro header/body, malformed JSON, null value). */
    UNDECODABLE,
    /** The text (or the TEXT-format value) is not valid UTF-8. */
    INVALID_UTF8,
    /** A JSON object without a string {@code text} field. */
    MISSING_TEXT,
    /** The text is empty or only whitespace. */
    EMPTY_TEXT,
    /** The text has no letter, digit or symbol (e.g. only zero-width or no-break spaces, only punctuation). */
    NO_CONTENT,
    /** The text is longer than the configured limit (UTF-8 bytes). */
    TEXT_TOO_LARGE,
    /** The whole message (key + value) is over the record limit: its outputs could outgrow their topics. */
    RECORD_TOO_LARGE,
    /** No model is active yet and the hold buffer is full ("no model and hold buffer full"). */
    HOLD_BUFFER_FULL,
    /** The engine failed on this record (a bug, not bad input); the job goes on with the next one. */
    SCORING_FAILED
}
