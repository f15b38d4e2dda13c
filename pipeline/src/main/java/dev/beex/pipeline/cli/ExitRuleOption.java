package dev.beex.pipeline.cli;

import dev.beex.model.exit.ExitRule;
import picocli.CommandLine.Option;

/** {@code --exit-rule RULE}: an exit rule that replaces the model's own. */
final class ExitRuleOption {
    @Option(names = "--exit-rule", paramLabel = "RULE",
            description = "Exit rule to use instead of the model's: reduction:<delta>, entropy:<max>, patience:<n>"
                    + " or none, optionally followed by ,floor:<p>.")
    String rule;

    /** The rule given, or {@code modelRule} when none was. */
    ExitRule orElse(ExitRule modelRule) {
        return rule == null ? modelRule : ExitRule.parse(rule);
    }

    /** The rule as given (null when none was), for commands that pass it on to the job. */
    String text() {
        return rule;
    }
}
