/**
 * Reading the project's text files, the same way for all of them: {@link dev.sigmacep.yaml.SafeYaml} loads untrusted
 * YAML (rule files, the field mappings, job files) safely and within bounds into plain trees, and
 * {@link dev.sigmacep.yaml.Durations} reads the durations they write ({@code 30s}, {@code 5m}). Depends on nothing
 * else of the project, so that the Sigma engine, the event decoder and the job all use it.
 */
package dev.sigmacep.yaml;
