package dev.beex.operators;

/** A control message failed a check; the message is the reason written to the REJECTED model event. */
public final class ModelRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelRejectedException(String reason) {
        super(reason, null, false, false);
    }
}
