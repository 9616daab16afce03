/**
 * YAML in the Sigma engine: {@link dev.sigmacep.sigma.yaml.SigmaYaml} loads documents with the project's safe, bounded
 * loader ({@link dev.sigmacep.yaml.SafeYaml}) and reports failures as rule errors;
 * {@link dev.sigmacep.sigma.yaml.DocumentFields} reads typed attributes from the plain trees with errors that name the
 * attribute. Used for rule files, the placeholder file and the logsource mapping.
 */
package dev.sigmacep.sigma.yaml;
