/**
 * Which leader epoch wrote which range of offsets: the map replication uses to find where a follower's log diverges
 * from its leader's.
 */
package io.wharf.storage.epoch;
