package dev.beex.operators;

import java.util.Locale;

/** The names users write for a format ({@code avro}, {@code json}, {@code text}): any case, surrounding blanks ignored. */
final class FormatNames {
    private FormatNames() {
    }

    /** The constant of {@code type} named {@code name}; otherwise fails naming {@code what} and the choices. */
    static <F extends Enum<F>> F parse(Class<F> type, String name, String what) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        F[] all = type.getEnumConstants();
        for (F f : all) {
            if (f.name().equals(n)) {
                return f;
            }
        }
        StringBuilder choices = new StringBuilder();
        for (int i = 0; i < all.length; i++) {
            choices.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(what + " '" + name + "': expected " + choices);
    }
}
