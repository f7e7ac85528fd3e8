/**
 * How commands print: {@link io.wharf.cli.output.Table} for aligned columns, {@link io.wharf.cli.output.Json} for
 * {@code --output json}. Output is part of each command's contract: columns and keys only ever get added.
 */
package io.wharf.cli.output;
