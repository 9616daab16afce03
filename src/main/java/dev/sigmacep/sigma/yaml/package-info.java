/**
 * Reading untrusted YAML: {@link dev.sigmacep.sigma.yaml.SigmaYaml} loads documents safely and within bounds into
 * plain trees (maps, lists, scalars); {@link dev.sigmacep.sigma.yaml.DocumentFields} reads typed attributes from
 * them with errors that name the attribute. Used for rule files, the placeholder file and the logsource mapping.
 */
package dev.sigmacep.sigma.yaml;
