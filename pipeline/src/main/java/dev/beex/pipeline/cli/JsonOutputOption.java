package dev.beex.pipeline.cli;

import picocli.CommandLine.Option;

/** {@code --json}: a machine-readable result instead of the text report. */
final class JsonOutputOption {
    @Option(names = "--json", description = "Print one JSON object on stdout instead of the text report.")
    boolean enabled;

    boolean enabled() {
        return enabled;
    }
}
