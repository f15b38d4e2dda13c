package dev.beex.pipeline.cli;

/** A failure the user can fix (missing file, bad value): printed as one line, no stack trace. */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
