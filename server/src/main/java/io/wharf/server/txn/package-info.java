/**
 * The broker's side of transactions: writing markers into the partitions this broker leads ({@link
 * io.wharf.server.txn.MarkerAppender}), sending a coordinator's markers to every partition's leader ({@link
 * io.wharf.server.txn.TransactionMarkerSender}), and asking the transaction coordinator whether a transactional
 * produce belongs to an open transaction ({@link io.wharf.server.txn.TransactionVerifier}, KIP-890).
 */
package io.wharf.server.txn;
