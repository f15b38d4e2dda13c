package dev.beex.operators;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A fixed-size {@code List<Float>} over a {@code float[]} (Avro's Java type for
 * {@code array<float>}): one small array per record instead of an ArrayList of boxed Floats;
 * a value is boxed only when a serializer reads it. The array is owned by the list: callers
 * pass a copy, never an engine's scratch.
 */
public final class FloatList extends AbstractList<Float> implements RandomAccess, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final float[] values;

    public FloatList(float[] values) {
        this.values = values;
    }

    @Override
    public Float get(int index) {
        return values[index];
    }

    @Override
    public int size() {
        return values.length;
    }
}
