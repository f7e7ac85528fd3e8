/**
 * A Wharf broker inside a test's JVM: {@link io.wharf.embedded.EmbeddedBroker} starts a real broker on a free port
 * with its data in a temporary directory, and deletes that directory on close. A project's tests depend on this one
 * module, in test scope, and need nothing installed.
 */
package io.wharf.embedded;
