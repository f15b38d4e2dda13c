package dev.beex.pipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code beex} command line: one subcommand per task a user runs. */
@Command(name = "beex", mixinStandardHelpOptions = true, version = "beex 0.1.0",
        description = "Streaming text classification in Apache Flink with a binarized early-exit transformer.",
        subcommands = {
            DataCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            BenchCommand.class,
            RunCommand.class,
            PublishCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BeexMain implements Runnable {

    public static void main(String[] args) {
        // Avro 1.12.2 refuses to deserialize classes outside trusted packages (docs/stack.md).
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "dev.beex.schemas");
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new BeexMain());
        // A bad argument or a user-facing failure prints one line, not a stack trace.
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("beex: " + ex.getMessage());
            ex.getCommandLine().getErr().println("(try: beex " + ex.getCommandLine().getCommandName() + " --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UserException || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("beex: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
