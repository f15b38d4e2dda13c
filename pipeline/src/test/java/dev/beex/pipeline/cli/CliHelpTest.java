package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/** {@code --help} of every (sub)command describes each option in whole sentences. */
class CliHelpTest {

    @Test
    void everyOptionOfEveryCommandHasACompleteDescription() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new BeexMain()), commands);
        assertThat(commands).extracting(CommandLine::getCommandName)
                .contains("data", "fetch", "split", "train", "eval", "bench", "run", "publish", "produce", "consume", "demo");
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName();
            String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(usage).as(name).contains("Usage: " + name);
            assertThat(sentence(command.getCommandSpec().usageMessage().description())).as(name + " description")
                    .matches(CliHelpTest::isComplete);
            List<ArgSpec> args = new ArrayList<>(command.getCommandSpec().options());
            args.addAll(command.getCommandSpec().positionalParameters());
            for (ArgSpec arg : args) {
                String what = name + " " + arg.paramLabel() + (arg.isOption()
                        ? " (" + ((CommandLine.Model.OptionSpec) arg).longestName() + ")" : "");
                String description = sentence(arg.description());
                assertThat(description).as(what).matches(CliHelpTest::isComplete);
                // the rendered help carries the whole description, up to its last word
                String[] words = description.split("\\s+");
                assertThat(usage).as(what).contains(words[words.length - 1]);
            }
        }
    }

    @Test
    void everyDescriptionIsOneParagraphThatPicocliWraps() {
        // picocli prints each element of a description array on a line of its own and wraps each one
        // separately: elements cut at ~100 characters came out as "..., in one" / "process after ...".
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new BeexMain()), commands);
        commands.removeIf(c -> c.getCommand() instanceof CommandLine.HelpCommand);   // picocli's own
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName();
            assertThat(command.getCommandSpec().usageMessage().description()).as(name + " description").hasSizeLessThanOrEqualTo(1);
            for (ArgSpec arg : command.getCommandSpec().args()) {
                assertThat(arg.description()).as(name + " " + arg.paramLabel()).hasSizeLessThanOrEqualTo(1);
            }
        }
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        for (CommandLine sub : command.getSubcommands().values()) {
            if (!into.contains(sub)) {
                collect(sub, into);
            }
        }
    }

    /** The lines as one text; {@code %n} is a line break in picocli's format. */
    private static String sentence(String[] lines) {
        return String.join(" ", lines).replace("%n", " ").strip();
    }

    /** Ends a sentence and opens no bracket it does not close. */
    private static boolean isComplete(String s) {
        if (s.isEmpty() || !(s.endsWith(".") || s.endsWith("!") || s.endsWith("?"))) {
            return false;
        }
        int round = 0, curly = 0, square = 0;
        for (char c : s.toCharArray()) {
            switch (c) {
                case '(' -> round++;
                case ')' -> round--;
                case '{' -> curly++;
                case '}' -> curly--;
                case '[' -> square++;
                case ']' -> square--;
                default -> { }
            }
        }
        return round == 0 && curly == 0 && square == 0;
    }
}
