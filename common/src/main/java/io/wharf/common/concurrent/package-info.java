/** Small concurrency building blocks shared by the broker's single-owner components. */
package io.wharf.common.concurrent;
