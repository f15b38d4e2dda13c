package dev.beex.operators;

import dev.beex.schemas.ModelRegistry;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The broadcast state of the classifier. Use it to broadcast the control stream:
 * {@code updates.broadcast(ModelStateDescriptors.MODELS)}.
 *
 * <p>It holds a single entry, {@link #REGISTRY_KEY} -> {@link ModelRegistry}: the retained model
 * versions (artifact bytes + metadata) and which one is active. One value, replaced as a whole,
 * so a deploy or rollback is atomic. Avro-typed, so the state can evolve with the schema.
 */
public final class ModelStateDescriptors {

    public static final String REGISTRY_KEY = "registry";

    public static final MapStateDescriptor<String, ModelRegistry> MODELS =
            new MapStateDescriptor<>("beex-models", Types.STRING, new AvroTypeInfo<>(ModelRegistry.class));

    private ModelStateDescriptors() {
    }
}
