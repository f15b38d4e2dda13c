package dev.beex.pipeline.cli;

import picocli.CommandLine;

/**
 * Entry point of the cluster jar ({@code mvn -Pcluster package}): the options of {@code beex run},
 * for {@code flink run} or the REST {@code /jars/<id>/run}. Unlike {@link BeexMain} it never calls
 * System.exit: in a web submission the program runs inside the JobManager, which exit would kill.
 */
public final class ClusterMain {

    private ClusterMain() {
    }

    public static void main(String[] args) {
        // Avro 1.12.2 refuses to deserialize classes outside trusted packages (docs/stack.md).
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.beex.schemas");
        CommandLine cli = new CommandLine(new RunCommand());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            throw ex;
        });
        int code = cli.execute(args);
        if (code != 0) {
            throw new IllegalArgumentException("beex run failed (exit code " + code + "); see the messages above");
        }
    }
}
