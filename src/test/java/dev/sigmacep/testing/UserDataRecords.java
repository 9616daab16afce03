package dev.sigmacep.testing;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * WMI-Activity 5858 (a failed WMI operation; its body is UserData, not EventData) in each record shape the decoder
 * reads, as the shippers write it.
 */
public final class UserDataRecords {
    private UserDataRecords() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String OPERATION = "Start IWbemServices::ExecMethod - root\\cimv2 : "
            + "Win32_NTEventlogFile.Name=\"C:\\Windows\\System32\\Winevt\\Logs\\Security.evtx\"::ClearEventLog";
    /** UserData's element as evtx_dump writes it: its xmlns attribute beside its children. */
    public static final String CLIENT_FAILURE = "{\"#attributes\":{\"xmlns\":\"http://manifests.microsoft.com/win/2006/windows/WMI\"},"
            + "\"Id\":\"{00000000-0000-0000-0000-000000000000}\",\"ClientMachine\":\"WKS-7\",\"User\":\"CORP\\\\alice\","
            + "\"ClientProcessId\":4242,\"Component\":\"Unknown\",\"Operation\":" + quoted(OPERATION) + ","
            + "\"ResultCode\":\"0x80041003\",\"PossibleCause\":\"Unknown\"}";

    public static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** WMI-Activity 5858 as evtx_dump (XML to JSON) writes it, with {@code userData} as Event.UserData's value. */
    public static String evtxDump(String userData) {
        return "{\"Event\":{\"#attributes\":{\"xmlns\":\"http://schemas.microsoft.com/win/2004/08/events/event\"},"
                + "\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Microsoft-Windows-WMI-Activity\","
                + "\"Guid\":\"{1418EF04-B0B4-4623-BF7E-D74AB47BBDAA}\"}},\"EventID\":5858,\"Version\":0,\"Level\":2,"
                + "\"TimeCreated\":{\"#attributes\":{\"SystemTime\":\"2024-03-12T10:15:42.123456Z\"}},"
                + "\"Execution\":{\"#attributes\":{\"ProcessID\":1364,\"ThreadID\":5520}},"
                + "\"Channel\":\"Microsoft-Windows-WMI-Activity/Operational\",\"Computer\":\"WKS-7.corp.local\","
                + "\"Security\":{\"#attributes\":{\"UserID\":\"S-1-5-18\"}}},"
                + "\"UserData\":" + userData + "}}";
    }

    public static String evtxDump5858() {
        return evtxDump("{\"Operation_ClientFailure\":" + CLIENT_FAILURE + "}");
    }

    /** Winlogbeat 6 (before ECS), as Security-Datasets hold it: user_data with the element's name as xml_name. */
    public static String winlogbeat5858() {
        return "{\"@timestamp\":\"2024-03-12T10:15:42.123Z\",\"beat\":{\"hostname\":\"WECserver\",\"version\":\"6.7.0\"},"
                + "\"user_data\":" + winlogbeatUserData() + ",\"log_name\":\"Microsoft-Windows-WMI-Activity/Operational\","
                + "\"event_id\":5858,\"source_name\":\"Microsoft-Windows-WMI-Activity\",\"host\":{\"name\":\"WECserver\"},"
                + "\"type\":\"wineventlog\",\"level\":\"Error\",\"computer_name\":\"WKS-7.corp.local\"}";
    }

    /** Winlogbeat 7+ / Elastic Agent (ECS): winlog.user_data. */
    public static String ecs5858() {
        return "{\"@timestamp\":\"2024-03-12T10:15:42.123Z\",\"agent\":{\"type\":\"winlogbeat\",\"version\":\"8.12.0\"},"
                + "\"event\":{\"code\":\"5858\",\"provider\":\"Microsoft-Windows-WMI-Activity\",\"kind\":\"event\"},"
                + "\"host\":{\"name\":\"wks-7\"},\"log\":{\"level\":\"error\"},\"winlog\":{\"channel\":"
                + "\"Microsoft-Windows-WMI-Activity/Operational\",\"event_id\":\"5858\",\"provider_name\":"
                + "\"Microsoft-Windows-WMI-Activity\",\"computer_name\":\"WKS-7.corp.local\",\"record_id\":\"1234\","
                + "\"user_data\":" + winlogbeatUserData() + "}}";
    }

    private static String winlogbeatUserData() {
        String fields = flattenedUserData();
        return fields.substring(0, fields.length() - 1) + ",\"xml_name\":\"Operation_ClientFailure\"}";
    }

    /** UserData's fields as shippers that flatten them write them: without the element's name. */
    private static String flattenedUserData() {
        return "{\"Id\":\"{00000000-0000-0000-0000-000000000000}\",\"ClientMachine\":\"WKS-7\",\"User\":\"CORP\\\\alice\","
                + "\"ClientProcessId\":\"4242\",\"Component\":\"Unknown\",\"Operation\":" + quoted(OPERATION) + ","
                + "\"ResultCode\":\"0x80041003\",\"PossibleCause\":\"Unknown\"}";
    }

    /** Sentinel's Event table: EventData is the event's XML text, here with UserData in it. */
    public static String sentinelEventTable5858() {
        String xml = "<DataItem type=\"System.XmlData\" time=\"2024-03-12T10:15:42.1234560Z\" sourceHealthServiceId=\"x\">"
                + "<UserData><Operation_ClientFailure xmlns=\"http://manifests.microsoft.com/win/2006/windows/WMI\">"
                + "<Id>{00000000-0000-0000-0000-000000000000}</Id><ClientMachine>WKS-7</ClientMachine>"
                + "<User>CORP\\alice</User><ClientProcessId>4242</ClientProcessId><Component>Unknown</Component>"
                + "<Operation>" + OPERATION.replace("\"", "&quot;") + "</Operation><ResultCode>0x80041003</ResultCode>"
                + "<PossibleCause>Unknown</PossibleCause></Operation_ClientFailure></UserData></DataItem>";
        return sentinelEventTable(xml);
    }

    public static String sentinelEventTable(String eventDataXml) {
        return "{\"TimeGenerated\":\"2024-03-12T10:15:42.123Z\",\"Computer\":\"WKS-7.corp.local\",\"EventID\":5858,"
                + "\"EventLog\":\"Microsoft-Windows-WMI-Activity/Operational\",\"Source\":\"Microsoft-Windows-WMI-Activity\","
                + "\"EventLevelName\":\"Error\",\"EventData\":" + quoted(eventDataXml) + "}";
    }

    /** Sentinel's WindowsEvent table and NXLog flatten UserData's fields into EventData or the record already. */
    public static String sentinelWindowsEvent5858() {
        return "{\"TimeGenerated\":\"2024-03-12T10:15:42.123Z\",\"Computer\":\"WKS-7.corp.local\",\"EventID\":5858,"
                + "\"Channel\":\"Microsoft-Windows-WMI-Activity/Operational\",\"Provider\":\"Microsoft-Windows-WMI-Activity\","
                + "\"EventData\":" + quoted(flattenedUserData()) + "}";
    }

    public static String nxlog5858() {
        return "{\"EventTime\":\"2024-03-12 10:15:42\",\"Hostname\":\"WKS-7.corp.local\",\"EventID\":5858,"
                + "\"SourceName\":\"Microsoft-Windows-WMI-Activity\",\"Channel\":\"Microsoft-Windows-WMI-Activity/Operational\","
                + "\"@timestamp\":\"2024-03-12T10:15:42.123Z\"," + flattenedUserData().substring(1);
    }
}
