/**
 * The {@code wharf} subcommands, one class per command group: {@link io.wharf.cli.command.TopicCommand},
 * {@link io.wharf.cli.command.ProduceCommand}, {@link io.wharf.cli.command.ConsumeCommand},
 * {@link io.wharf.cli.command.GroupCommand} and {@link io.wharf.cli.command.ClusterCommand}, with the classes that do
 * their larger parts (describing, splitting input into records, the consume loop, offset-reset plans). Every
 * command checks that a broker answers before anything else, names what it could not find, and throws
 * {@link io.wharf.cli.CliException} for failures it can put into words.
 */
package io.wharf.cli.command;
