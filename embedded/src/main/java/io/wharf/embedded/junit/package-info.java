/**
 * JUnit 5 support: {@link io.wharf.embedded.junit.WharfBroker} on a test class, or
 * {@link io.wharf.embedded.junit.WharfBrokerExtension} on a field, starts an embedded broker per class or per test and
 * passes it to the test as a parameter. JUnit itself is the user's dependency, not this module's.
 */
package io.wharf.embedded.junit;
