package dev.sigmacep.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class FieldMappingsTest {

    private static FieldMappings load(String yaml) {
        return FieldMappings.load(yaml);
    }

    @Test
    void defaultFileLoadsWithItsFormatsInDetectionOrder() {
        FieldMappings mappings = FieldMappings.defaults();
        assertThat(mappings.events()).extracting(FieldMappings.EventMapping::name).containsExactly("security-4688");
        assertThat(mappings.normalize()).extracting(FieldMappings.Spellings::field).contains("Channel");
    }

    @Test
    void aNewFormatNeedsOnlyAMappingEntry() {
        FieldMappings mappings = load("""
                formats:
                  osquery:
                    detect:
                      - {name: process_events, hostIdentifier: "*"}
                    fields:
                      EventID: {from: name, values: {process_events: 1}, otherwise: drop}
                      Computer: hostIdentifier
                      Image: columns.path
                      CommandLine: columns.cmdline
                      ProcessId: {from: columns.pid, transform: hex-to-decimal}
                      User: {join: [columns.domain, columns.username], separator: "\\\\"}
                    time: [calendarTime, unixTime]
                """);
        EventDecoder decoder = new EventDecoder(1 << 20, mappings);
        Event event = decoder.decode("{\"name\":\"process_events\",\"hostIdentifier\":\"mac-7\",\"unixTime\":1710237600,"
                + "\"columns\":{\"path\":\"/bin/ls\",\"cmdline\":\"ls -la /tmp\",\"pid\":\"0x1f\",\"username\":\"root\"}}").event();
        assertThat(event.format()).isEqualTo("osquery");
        assertThat(event.timeMicros()).isEqualTo(1_710_237_600_000_000L);
        assertThat(event.fields()).containsOnly(entry("EventID", 1), entry("Computer", "mac-7"), entry("Image", "/bin/ls"),
                entry("CommandLine", "ls -la /tmp"), entry("CommandLineArgCount", 2), entry("ProcessId", "31"),
                entry("User", "root"));
        assertThat(decoder.decode("{\"name\":\"other\",\"hostIdentifier\":\"h\"}").deadLetter().reason())
                .isEqualTo("unrecognised record shape");
    }

    @Test
    void typosFailAtLoadTimeWithTheirLocation() {
        assertThatThrownBy(() -> load("formats: {x: {detect: [{a: '*'}], time: [t], feilds: {}}}"))
                .hasMessage("formats.x: unknown key 'feilds'");
        assertThatThrownBy(() -> load("formats: {x: {detect: [{a: '*'}], time: [t], fields: {Image: {from: a, transform: upper}}}}"))
                .hasMessage("unknown transform 'upper'");
        assertThatThrownBy(() -> load("formats: {x: {detect: [{a: '*'}], time: [t], fields: {Image: {from: a, join: [b]}}}}"))
                .hasMessage("field Image: give either 'from' or 'join'");
        assertThatThrownBy(() -> load("formats: {x: {time: [t]}}")).hasMessage("formats.x: no detect");
        assertThatThrownBy(() -> load("formats: {x: {detect: [{a: '*'}]}}")).hasMessage("formats.x: no time paths");
        assertThatThrownBy(() -> load("format: {}")).hasMessage("mapping file: unknown key 'format'");
        assertThatThrownBy(() -> load("formats: {x: {detect: [{a: '*'}], time: [t], empty-is-absent: 'true'}}"))
                .hasMessage("formats.x: empty-is-absent must be true or false");
    }

    /** A second entry for a format or a field would silently replace the first. */
    @Test
    void duplicateKeysAndAliasBombsAreRejected() {
        assertThatThrownBy(() -> load("formats:\n  x: {detect: [{a: '*'}], time: [t]}\n  x: {detect: [{b: '*'}], time: [t]}\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mapping file: invalid YAML: ").hasMessageContaining("found duplicate key x");
        StringBuilder doubling = new StringBuilder("normalize:\n  l0: &l0 {a: b}\n");
        for (int i = 1; i <= 24; i++) {
            doubling.append("  l").append(i).append(": &l").append(i).append(" [*l").append(i - 1)
                    .append(", *l").append(i - 1).append("]\n");
        }
        assertThatThrownBy(() -> load(doubling.toString()))
                .hasMessage("mapping file: YAML rejected: the document expands to more than 200000 nodes (alias explosion?)");
    }

    /** Found as written or ignoring case, the answer is the one for the lower-cased value, as it always was. */
    @Test
    void spellingsAnswerForTheLowerCasedValue() {
        FieldMappings.Spellings spellings = load("normalize: {Channel: {security: Security, Sec: SECURITY}}").normalize()[0];
        assertThat(spellings.canonical("security")).isEqualTo("Security");
        assertThat(spellings.canonical("SeCuRiTy")).isEqualTo("Security");
        assertThat(spellings.canonical("sec")).isEqualTo("SECURITY");
        assertThat(spellings.canonical("SECURITY")).isEqualTo("Security"); // a canonical spelling, yet "security"
        assertThat(spellings.canonical("Security")).isEqualTo("Security");
        assertThat(spellings.canonical("System")).isNull();
    }

    @Test
    void hexToDecimal() {
        assertThat(ValueTransform.HEX_TO_DECIMAL.apply("0xc2c")).isEqualTo("3116");
        assertThat(ValueTransform.HEX_TO_DECIMAL.apply("0X2B4")).isEqualTo("692");
        assertThat(ValueTransform.HEX_TO_DECIMAL.apply("1234")).isEqualTo("1234");
        assertThat(ValueTransform.HEX_TO_DECIMAL.apply("0xzz")).isEqualTo("0xzz");
        assertThat(ValueTransform.HEX_TO_DECIMAL.apply("0x")).isEqualTo("0x");
        assertThat(ValueTransform.HEX_TO_DECIMAL.apply("0xffffffffffffffff")).isEqualTo("18446744073709551615");
    }

    @Test
    void evtxDumpSeparateAttributesMode() {
        String raw = "{\"Event\":{\"System\":{\"Provider_attributes\":{\"Name\":\"Microsoft-Windows-Sysmon\"},\"EventID\":3,"
                + "\"TimeCreated_attributes\":{\"SystemTime\":\"2024-03-12T10:03:11.382000Z\"},"
                + "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Computer\":\"W\"},"
                + "\"EventData\":{\"Image\":\"C:\\\\x.exe\",\"Initiated\":true,\"DestinationPort\":8080}}}";
        Event event = new EventDecoder().decode(raw).event();
        assertThat(event.timeMicros()).isEqualTo(EventDecoderTest.micros("2024-03-12T10:03:11.382Z"));
        assertThat(event.fields()).contains(entry("Provider_Name", "Microsoft-Windows-Sysmon"), entry("Initiated", "true"),
                entry("DestinationPort", "8080"), entry("EventID", 3));
    }
}
