package dev.beex.model.data;

import java.io.IOException;

/** A data file that cannot be read as labeled text. The message is {@code file:line: reason}. */
public class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String file, long line, String reason) {
        super(file + ":" + line + ": " + reason);
    }
}
