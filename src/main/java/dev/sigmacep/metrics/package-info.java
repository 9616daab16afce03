/**
 * Counting the outcomes of records for operators of every stage: {@link dev.sigmacep.metrics.JobCounter} is a Flink
 * metric and an accumulator at once. Depends on Flink only, so that any stage may count without depending on another.
 */
package dev.sigmacep.metrics;
