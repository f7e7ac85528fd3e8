package io.wharf.metadata.record;

/** One change to the cluster's metadata. Records are applied in log order; each is immutable. */
public sealed interface MetadataRecord
        permits TopicRecord,
                PartitionRecord,
                RemoveTopicRecord,
                ConfigRecord,
                ProducerIdsRecord,
                BrokerRecord,
                RegisterBrokerRecord,
                BrokerStateRecord,
                UnregisterBrokerRecord,
                ClusterRecord {}
