/**
 * The journal of a data directory: one sequential, group-committed file that every append of every partition also
 * goes to, so that one fdatasync makes a whole round of appends durable however many partitions it touched. The
 * partition segments are then forced in the background only, and recovery replays the journal into them.
 * {@link io.wharf.storage.journal.JournalFormat} draws the bytes, {@link io.wharf.storage.journal.Journal} says who may
 * call what from which thread, and {@link io.wharf.storage.journal.JournalReader} what opening it finds.
 */
package io.wharf.storage.journal;
