package io.wharf.cli.output;

/** How a command prints what it found: aligned columns for people, or one JSON document for programs. */
public enum OutputFormat {
    PLAIN,
    JSON
}
