package dev.beex.operators;

import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.ModelUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** The control path in a test: fetch (synchronously) and decide, one message at a time, offsets 0, 1, 2... */
final class ControlPath {

    final ModelControlFunction fn;
    final OneInputStreamOperatorTestHarness<ControlMessage, ModelRegistry> h;
    private final ArtifactFetcher fetcher;
    private long offset;
    private int seen;

    ControlPath(ClassifyOptions options) throws Exception {
        this(options, ModelEventLog.NONE);
    }

    ControlPath(ClassifyOptions options, ModelEventLog log) throws Exception {
        fn = new ModelControlFunction(options, log);
        h = ProcessFunctionTestHarnesses.forProcessFunction(fn);
        fetcher = new ArtifactFetcher(options.maxArtifactBytes(), options.fetchTimeout());
    }

    /** Decides {@code update}; returns the registries to broadcast (one). */
    List<ModelRegistry> apply(ModelUpdate update) throws Exception {
        ControlMessage m = ArtifactFetchFunction.fetch(new ControlMessage(update, "control", 0, offset++, null, null), fetcher);
        h.processElement(m, 0);
        List<ModelRegistry> all = h.extractOutputValues();
        List<ModelRegistry> fresh = new ArrayList<>(all.subList(seen, all.size()));
        seen = all.size();
        return fresh;
    }

    List<ModelEvent> events() {
        var q = h.getSideOutput(OutputTags.MODEL_EVENTS);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).collect(Collectors.toList());
    }
}
