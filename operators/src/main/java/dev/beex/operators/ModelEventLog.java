package dev.beex.operators;

import java.io.Serializable;
import java.util.Set;

/**
 * The ids of the model events already written ({@code ModelEvent.eventId}). The control path
 * reads them when it starts, so that replaying the control topic (a fresh start, or a restore
 * from an older savepoint) does not emit the same events again.
 */
@FunctionalInterface
public interface ModelEventLog extends Serializable {

    /** No log: every decision emits its events (tests, or a job without a model-events topic). */
    ModelEventLog NONE = () -> Set.of();

    Set<String> existingEventIds() throws Exception;
}
