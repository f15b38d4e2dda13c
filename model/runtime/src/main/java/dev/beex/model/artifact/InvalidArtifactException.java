package dev.beex.model.artifact;

import java.io.IOException;

/** A model artifact was rejected; the message is the reason (one line, meant for users and model events). */
public class InvalidArtifactException extends IOException {
    private static final long serialVersionUID = 1L;

    public InvalidArtifactException(String reason) {
        super(reason);
    }

    public InvalidArtifactException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
