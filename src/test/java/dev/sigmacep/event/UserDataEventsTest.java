package dev.sigmacep.event;

import org.junit.jupiter.api.Test;

import static dev.sigmacep.testing.UserDataRecords.CLIENT_FAILURE;
import static dev.sigmacep.testing.UserDataRecords.OPERATION;
import static dev.sigmacep.testing.UserDataRecords.ecs5858;
import static dev.sigmacep.testing.UserDataRecords.evtxDump;
import static dev.sigmacep.testing.UserDataRecords.evtxDump5858;
import static dev.sigmacep.testing.UserDataRecords.nxlog5858;
import static dev.sigmacep.testing.UserDataRecords.sentinelEventTable;
import static dev.sigmacep.testing.UserDataRecords.sentinelEventTable5858;
import static dev.sigmacep.testing.UserDataRecords.sentinelWindowsEvent5858;
import static dev.sigmacep.testing.UserDataRecords.winlogbeat5858;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * Events whose body is UserData rather than EventData (WMI-Activity 5858 here) reach the rules with their fields in
 * every shape that keeps them apart from EventData; each record is checked against the tree-based reference too.
 */
class UserDataEventsTest {
    private final SameAsTreeDecoder sameAsTree = new SameAsTreeDecoder();

    private Event decoded(String raw) {
        DecodeResult result = sameAsTree.decode(raw);
        assertThat(result.deadLetter()).as("dead letter").isNull();
        return result.event();
    }

    @Test
    void wmiClientFailureFieldsInEveryShape() {
        for (String raw : new String[] {evtxDump5858(), winlogbeat5858(), ecs5858(), sentinelEventTable5858(),
                sentinelWindowsEvent5858(), nxlog5858()}) {
            Event event = decoded(raw);
            assertThat(event.fields()).as(event.format()).contains(
                    entry("EventID", 5858),
                    entry("Channel", "Microsoft-Windows-WMI-Activity/Operational"),
                    entry("Operation", OPERATION),
                    entry("ResultCode", "0x80041003"),
                    entry("ClientProcessId", "4242"),
                    entry("ClientMachine", "WKS-7"),
                    entry("User", "CORP\\alice"),
                    entry("PossibleCause", "Unknown"));
            // the element's name and attributes are not fields
            assertThat(event.fields()).as(event.format()).doesNotContainKeys("xml_name", "#attributes", "xmlns");
            assertThat(event.host()).isEqualTo("WKS-7.corp.local");
        }
    }

    @Test
    void eventDataIsReadWhenBothArePresentAndUserDataIsNot() {
        String both = evtxDump5858().replace("\"UserData\":", "\"EventData\":{\"Operation\":\"from EventData\"},\"UserData\":");
        assertThat(decoded(both).fields()).contains(entry("Operation", "from EventData")).doesNotContainKey("ResultCode");
        // an EventData that is null counts as absent
        String nullEventData = evtxDump5858().replace("\"UserData\":", "\"EventData\":null,\"UserData\":");
        assertThat(decoded(nullEventData).fields()).containsKey("ResultCode");

        String ecsBoth = ecs5858().replace("\"user_data\":", "\"event_data\":{\"Operation\":\"from EventData\"},\"user_data\":");
        assertThat(decoded(ecsBoth).fields()).contains(entry("Operation", "from EventData")).doesNotContainKey("ResultCode");
    }

    @Test
    void userDataWithoutOneElementGivesAnEventWithoutItsFields() {
        String[] userData = {
                "{}",                                                                  // empty
                "{\"Operation_ClientFailure\":{}}",                                    // an element without children
                "{\"Operation_ClientFailure\":" + CLIENT_FAILURE + ",\"Second\":{\"Operation\":\"x\"}}", // two elements
                "{\"Operation_ClientFailure\":" + CLIENT_FAILURE + ",\"Note\":\"x\"}", // an element and a value
                "\"Operation=cleareventlog\"",                                         // a string
                "[" + CLIENT_FAILURE + "]",                                            // an array
                "{\"Operation_ClientFailure\":[" + CLIENT_FAILURE + "]}",              // its element an array
                "{\"Operation_ClientFailure\":\"x\"}",                                 // its element a string
                "{\"Operation_ClientFailure\":null}",
                "null",
                "{\"A\":{\"B\":{\"C\":{\"D\":{\"Operation\":\"deep\"}}}}}",            // nested deeper than one element
        };
        for (String body : userData) {
            Event event = decoded(evtxDump(body));
            assertThat(event.fields()).as(body).containsEntry("EventID", 5858)
                    .doesNotContainKeys("Operation", "ResultCode", "Note", "B");
        }
    }

    @Test
    void aRepeatedElementNameKeepsItsLastValueAsAJsonTreeDoes() {
        String repeated = evtxDump("{\"Operation_ClientFailure\":{\"Operation\":\"first\"},\"Operation_ClientFailure\":"
                + CLIENT_FAILURE + "}");
        assertThat(decoded(repeated).fields()).contains(entry("Operation", OPERATION));
        String repeatedThenOther = evtxDump("{\"E\":{\"Operation\":\"a\"},\"E\":{\"Operation\":\"b\"},\"F\":{}}");
        assertThat(decoded(repeatedThenOther).fields()).doesNotContainKey("Operation");
    }

    @Test
    void userDataNestedBeyondTheParserLimitIsADeadLetter() {
        String deep = "{\"a\":".repeat(70) + "1" + "}".repeat(70);
        DecodeResult result = sameAsTree.decode(evtxDump(deep));
        assertThat(result.deadLetter().reason()).isEqualTo("nesting too deep");
    }

    @Test
    void userDataXmlWithoutOneElementOrWithNestedChildren() {
        String[] xmls = {
                "<DataItem><UserData></UserData></DataItem>",
                "<DataItem><UserData><E xmlns=\"u\"/></UserData></DataItem>",
                "<DataItem><UserData><E><Operation>a</Operation></E><F><Operation>b</Operation></F></UserData></DataItem>",
                "<DataItem><UserData><E><Operation>a</Operation>",
                "<DataItem><UserData><E><Operation><Inner>x</Inner></Operation></E></UserData></DataItem>",
                "<DataItem><UserData></E><Operation>a</Operation></UserData></DataItem>",
        };
        for (String xml : xmls) {
            DecodeResult result = sameAsTree.decode(sentinelEventTable(xml));
            assertThat(result.event()).as(xml).isNull();
            assertThat(result.deadLetter().reason()).as(xml).startsWith("event data is neither a JSON object nor event XML");
        }
        // children that are values are kept beside one that holds elements; an empty child is an empty value
        Event event = decoded(sentinelEventTable("<DataItem><UserData><E><Operation>a&amp;b</Operation><Nested><X>1</X>"
                + "</Nested><ResultCode/></E></UserData></DataItem>"));
        assertThat(event.fields()).contains(entry("Operation", "a&b"), entry("ResultCode", "")).doesNotContainKeys("Nested", "X");
    }

    @Test
    void aStarThatDoesNotEndAnEventDataPathIsRefusedWhenTheFileLoads() {
        String format = """
                formats:
                  f:
                    detect: [{a: "*"}]
                    %s
                    time: [t]
                """;
        assertThatThrownBy(() -> FieldMappings.load(format.formatted("fields: {Image: a.*}")))
                .hasMessageContaining("'*' can only end an event-data path");
        assertThatThrownBy(() -> FieldMappings.load(format.formatted("event-data: a.*.b")))
                .hasMessageContaining("'*' can only end an event-data path");
        assertThatThrownBy(() -> FieldMappings.load(format.formatted("event-data: [a.*, a.b]")))
                .hasMessageContaining("cannot also be read by member names");
        assertThatThrownBy(() -> FieldMappings.load(format.formatted("event-data: a.*\n    event-data-encoding: text")))
                .hasMessageContaining("not read through '*'");
    }
}
