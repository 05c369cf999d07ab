/**
 * @module detect/sigma/fields/taxonomy
 * Where each Sigma taxonomy field lives on a Vigil ECS event, per logsource: the data behind
 * `fields/getter`. The field names are those of the Sigma taxonomy appendix v2.1.0 (W3C extended
 * log names for `webserver` and `proxy`, Sysmon / Windows event-log names for `product: windows`,
 * `src_ip`/`dst_ip`… for `firewall`); the ECS targets follow what pySigma's Elasticsearch ECS
 * pipelines (`ecs_windows`, `ecs_zeek_beats`) map them to, adjusted to what Vigil's own normalisers
 * write (parse/access-log, parse/w3c, parse/windows, parse/windows-ecs, parse/auth-log, parse/cef).
 *
 * A table applies to a rule when every logsource key it states (category, product, service)
 * equals the rule's. When several apply, the one stating the most keys decides a field entirely
 * (ties: the earlier table), as pySigma's first matching field mapping does: an `image_load` rule's
 * `OriginalFileName` is the loaded file's, never the process's. Each field maps to paths tried in
 * order; the first one present on the event gives the value.
 *
 * Windows fields are written `winlog.event_data.<Name>` first, then their ECS equivalent: Winlogbeat
 * and our windows normaliser keep the event data under its Windows names, and ECS-only documents
 * (Elastic Agent, EDR exports) still match through the ECS field. An ECS fallback is given only
 * where the ECS field holds the same value in every event that has it: `TargetUserName` is
 * `user.name` in a logon but `user.target.name` in an account change, so it has none.
 */
import type { Logsource } from '../contract.js';

/** One mapping table: Sigma field name → ECS paths, tried in order. */
export interface FieldTable {
  /** The logsource keys a rule must state (with these values) for the table to apply. */
  readonly when: Readonly<Pick<Logsource, 'category' | 'product' | 'service'>>;
  readonly fields: Readonly<Record<string, readonly string[]>>;
}

/** Where Winlogbeat (and parse/windows) keeps an event's `<EventData>`, by Windows name. */
export const EVENT_DATA_PREFIX = 'winlog.event_data.';
/** Where `<UserData>` goes (parse/windows), for events such as System 104 and Security 1102. */
export const USER_DATA_PREFIX = 'winlog.user_data.';

/** `winlog.event_data.<name>` followed by the given ECS paths. */
function data(name: string, ...ecs: string[]): readonly string[] {
  return [EVENT_DATA_PREFIX + name, ...ecs];
}

/** The W3C extended-log names of the HTTP request and response (taxonomy: webserver, proxy). */
const HTTP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'cs-method': ['http.request.method'],
  'cs-uri-stem': ['url.path'],
  'cs-uri-query': ['url.query'],
  'cs-uri': ['url.original'],
  'c-uri': ['url.original'],
  'c-uri-stem': ['url.path'],
  'c-uri-query': ['url.query'],
  'c-uri-extension': ['url.extension'],
  'cs-uri-extension': ['url.extension'],
  'c-ip': ['source.ip', 'source.address', 'client.ip'],
  'c-useragent': ['user_agent.original'],
  'cs-user-agent': ['user_agent.original'],
  'cs(User-Agent)': ['user_agent.original'],
  'cs-referer': ['http.request.referrer'],
  'cs-referrer': ['http.request.referrer'],
  'cs(Referer)': ['http.request.referrer'],
  'sc-status': ['http.response.status_code'],
  'cs-host': ['url.domain', 'destination.domain'],
  'cs(Host)': ['url.domain', 'destination.domain'],
  'r-dns': ['url.domain', 'destination.domain'],
  'cs-username': ['user.name'],
  // W3C: cs- is client to server, sc- server to client (the taxonomy's proxy text swaps them).
  // IIS logs whole messages (`http.*.bytes`), nginx/Apache `%b` the response body.
  'cs-bytes': ['http.request.bytes', 'http.request.body.bytes'],
  'sc-bytes': ['http.response.bytes', 'http.response.body.bytes'],
  'cs-cookie': ['iis.access.cookie', 'http.request.cookie'],
  'cs(Cookie)': ['iis.access.cookie', 'http.request.cookie'],
  'cs-content-type': ['http.request.mime_type'],
  's-ip': ['destination.ip', 'destination.address', 'server.ip'],
  's-port': ['destination.port', 'url.port', 'server.port'],
  's-sitename': ['iis.access.site_name'],
  's-computername': ['iis.access.server_name', 'host.name', 'host.hostname'],
  'sc-substatus': ['iis.access.sub_status'],
  'sc-win32-status': ['iis.access.win32_status'],
  'c-win32-status': ['iis.access.win32_status'],
  'x-forwarded-for': ['network.forwarded_ip'],
  src_ip: ['source.ip', 'source.address'],
  dst_ip: ['destination.ip', 'destination.address'],
};

/** Network 5-tuple names (taxonomy: firewall; network category uses the ECS names themselves). */
const NETWORK_FIELDS: Readonly<Record<string, readonly string[]>> = {
  src_ip: ['source.ip', 'source.address'],
  dst_ip: ['destination.ip', 'destination.address'],
  src_port: ['source.port'],
  dst_port: ['destination.port'],
  src_host: ['source.domain'],
  dst_host: ['destination.domain'],
  username: ['user.name', 'source.user.name'],
  action: ['event.action'],
  protocol: ['network.transport'],
  proto: ['network.transport'],
  application: ['network.protocol'],
  src_nat_ip: ['source.nat.ip'],
  dst_nat_ip: ['destination.nat.ip'],
};

/** Generic process fields (taxonomy "Process Creation Events") for non-Windows process events. */
const PROCESS_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Image: ['process.executable', 'winlog.event_data.Image'],
  CommandLine: ['process.command_line', 'winlog.event_data.CommandLine'],
  ParentImage: ['process.parent.executable', 'winlog.event_data.ParentImage'],
  ParentCommandLine: ['process.parent.command_line', 'winlog.event_data.ParentCommandLine'],
  User: ['user.name', 'winlog.event_data.User'],
  CurrentDirectory: ['process.working_directory', 'winlog.event_data.CurrentDirectory'],
  ProcessId: ['process.pid', 'winlog.event_data.ProcessId'],
  ParentProcessId: ['process.parent.pid', 'winlog.event_data.ParentProcessId'],
  ProcessGuid: ['process.entity_id'],
  ParentProcessGuid: ['process.parent.entity_id'],
  OriginalFileName: ['process.pe.original_file_name'],
  LogonId: ['process.user.id', 'winlog.event_data.LogonId'],
  md5: ['process.hash.md5'],
  sha1: ['process.hash.sha1'],
  sha256: ['process.hash.sha256'],
  Imphash: ['process.pe.imphash'],
};

/** Fields of every Windows event: the `<System>` element, then Sysmon's names shared by categories. */
const WINDOWS_FIELDS: Readonly<Record<string, readonly string[]>> = {
  EventID: ['winlog.event_id', 'event.code'],
  Channel: ['winlog.channel'],
  Provider_Name: ['winlog.provider_name', 'event.provider'],
  Computer: ['winlog.computer_name', 'host.name'],
  ComputerName: data('ComputerName', 'winlog.computer_name', 'host.name'),
  EventRecordID: ['winlog.record_id'],
  Keywords: ['winlog.keywords'],
  UserID: ['winlog.user.identifier'],
  Security_UserID: ['winlog.user.identifier'],
  // Sysmon's names, the same in every category that has them (pySigma ecs_windows).
  Image: data('Image', 'process.executable'),
  CommandLine: data('CommandLine', 'process.command_line'),
  ParentImage: data('ParentImage', 'process.parent.executable'),
  ParentCommandLine: data('ParentCommandLine', 'process.parent.command_line'),
  ProcessGuid: data('ProcessGuid', 'process.entity_id'),
  ProcessId: data('ProcessId', 'process.pid'),
  ParentProcessGuid: data('ParentProcessGuid', 'process.parent.entity_id'),
  ParentProcessId: data('ParentProcessId', 'process.parent.pid'),
  CurrentDirectory: data('CurrentDirectory', 'process.working_directory'),
  User: data('User', 'user.name'),
  TargetFilename: data('TargetFilename', 'file.path'),
  SourceFilename: data('SourceFilename'),
  SourceIp: data('SourceIp', 'source.ip'),
  SourceHostname: data('SourceHostname', 'source.domain'),
  SourcePort: data('SourcePort', 'source.port'),
  DestinationIp: data('DestinationIp', 'destination.ip'),
  DestinationHostname: data('DestinationHostname', 'destination.domain'),
  DestinationPort: data('DestinationPort', 'destination.port'),
  DestinationPortName: data('DestinationPortName', 'network.protocol'),
  ImageLoaded: data('ImageLoaded', 'file.path'),
  Signed: data('Signed', 'file.code_signature.signed'),
  SignatureStatus: data('SignatureStatus', 'file.code_signature.status'),
  SourceProcessGuid: data('SourceProcessGuid', 'process.entity_id'),
  SourceProcessId: data('SourceProcessId', 'process.pid'),
  SourceImage: data('SourceImage', 'process.executable'),
  SourceThreadId: data('SourceThreadId', 'process.thread.id'),
  TargetObject: data('TargetObject', 'registry.path'),
  Details: data('Details', 'registry.data.strings'),
  PipeName: data('PipeName', 'file.name'),
  QueryName: data('QueryName', 'dns.question.name'),
  QueryStatus: data('QueryStatus', 'sysmon.dns.status'),
  IsExecutable: data('IsExecutable', 'sysmon.file.is_executable'),
  Archived: data('Archived', 'sysmon.file.archived'),
  Hashes: data('Hashes'),
  // Event-log names whose ECS home is the same in every event that carries them.
  IpAddress: data('IpAddress', 'source.ip'),
  IpPort: data('IpPort', 'source.port'),
  WorkstationName: data('WorkstationName', 'source.domain'),
  ClientAddress: data('ClientAddress', 'source.ip'),
  ClientName: data('ClientName', 'source.domain'),
  SourceAddress: data('SourceAddress', 'source.ip'),
  DestAddress: data('DestAddress', 'destination.ip'),
  DestPort: data('DestPort', 'destination.port'),
  ServiceName: data('ServiceName', 'service.name'),
  // PowerShell (Microsoft-Windows-PowerShell/Operational, Winlogbeat powershell module).
  ScriptBlockText: data('ScriptBlockText', 'powershell.file.script_block_text'),
  ScriptBlockId: data('ScriptBlockId', 'powershell.file.script_block_id'),
  Path: data('Path', 'file.path'),
  HostApplication: data('HostApplication', 'process.command_line'),
  CommandName: data('CommandName', 'powershell.command.name'),
  CommandPath: data('CommandPath', 'powershell.command.path'),
  CommandType: data('CommandType', 'powershell.command.type'),
  RunspaceId: data('RunspaceId', 'powershell.runspace_id'),
  PipelineId: data('PipelineId', 'powershell.pipeline_id'),
};

/**
 * `Data` of the classic PowerShell log (400, 600, 800) is the event's text as a whole; Winlogbeat
 * names its unnamed `<Data>` elements `param1`…, and the one with `HostApplication=`, `EngineVersion=`
 * … is `param3` (400, 600) or `param2` (800). The getter returns the first present path, so the
 * order puts the detail text first.
 */
const POWERSHELL_CLASSIC_DATA = data('Data', 'winlog.event_data.param3', 'winlog.event_data.param2', 'winlog.event_data.param1');

/** The PE metadata Sysmon reports, on the process (process_creation) or the loaded file (image_load, driver_load). */
function peFields(target: 'process' | 'file'): Record<string, readonly string[]> {
  return {
    OriginalFileName: data('OriginalFileName', `${target}.pe.original_file_name`),
    Description: data('Description', `${target}.pe.description`),
    Product: data('Product', `${target}.pe.product`),
    Company: data('Company', `${target}.pe.company`),
    FileVersion: data('FileVersion', `${target}.pe.file_version`),
    Imphash: data('Imphash', `${target}.pe.imphash`),
    md5: data('md5', `${target}.hash.md5`),
    sha1: data('sha1', `${target}.hash.sha1`),
    sha256: data('sha256', `${target}.hash.sha256`),
  };
}

/** Every table, most specific first where it matters; see the module comment for precedence. */
export const fieldTables: readonly FieldTable[] = [
  // --- Windows: categories (taxonomy "Windows Folder / Category") ---------------------------------
  {
    when: { product: 'windows', category: 'process_creation' },
    fields: {
      ...peFields('process'),
      // Security 4688 names the new process `NewProcessName` and its parent `ParentProcessName`.
      Image: data('Image', 'winlog.event_data.NewProcessName', 'process.executable'),
      ParentImage: data('ParentImage', 'winlog.event_data.ParentProcessName', 'process.parent.executable'),
      // In 4688 `ProcessId` is the creator's (hex): the new process's id is ECS process.pid.
      ProcessId: ['process.pid', 'winlog.event_data.ProcessId'],
      ParentProcessId: data('ParentProcessId', 'process.parent.pid'),
      IntegrityLevel: data('IntegrityLevel'),
      LogonId: data('LogonId'),
    },
  },
  { when: { product: 'windows', category: 'image_load' }, fields: { ...peFields('file'), Signature: data('Signature', 'file.code_signature.subject_name') } },
  { when: { product: 'windows', category: 'driver_load' }, fields: { ...peFields('file'), Signature: data('Signature', 'file.code_signature.subject_name') } },
  { when: { product: 'windows', category: 'network_connection' }, fields: { Protocol: data('Protocol', 'network.transport') } },
  { when: { product: 'windows', category: 'file_access' }, fields: { FileName: data('FileName', 'file.path') } },
  { when: { product: 'windows', category: 'raw_access_thread' }, fields: { Device: data('Device', 'file.path') } },
  { when: { product: 'windows', category: 'wmi_event' }, fields: { Destination: data('Destination', 'process.executable') } },
  { when: { product: 'windows', category: 'ps_module' }, fields: { Payload: data('Payload'), ContextInfo: data('ContextInfo') } },
  { when: { product: 'windows', category: 'ps_classic_start' }, fields: { Data: POWERSHELL_CLASSIC_DATA } },
  { when: { product: 'windows', category: 'ps_classic_provider_start' }, fields: { Data: POWERSHELL_CLASSIC_DATA } },
  { when: { product: 'windows', category: 'ps_classic_script' }, fields: { Data: POWERSHELL_CLASSIC_DATA } },
  // --- Windows: services (taxonomy "Windows Folder / Service") ------------------------------------
  { when: { product: 'windows', service: 'powershell-classic' }, fields: { Data: POWERSHELL_CLASSIC_DATA } },
  {
    when: { product: 'windows', service: 'security' },
    fields: {
      // Security 4688's own names, so `service: security` rules read the ECS form too.
      NewProcessName: data('NewProcessName', 'process.executable'),
      ParentProcessName: data('ParentProcessName', 'process.parent.executable'),
      // Winlogbeat: the logon id of the subject, and of a 4624/4625 target.
      SubjectLogonId: data('SubjectLogonId'),
      TargetLogonId: data('TargetLogonId', 'winlog.logon.id'),
    },
  },
  // --- Windows: every event -----------------------------------------------------------------------
  { when: { product: 'windows' }, fields: WINDOWS_FIELDS },
  // --- Linux (taxonomy "Linux Folder") ------------------------------------------------------------
  {
    when: { product: 'linux', service: 'sudo' },
    fields: {
      // sudo's own `USER=` (as whom) and `COMMAND=`, as parse/auth-log sets them.
      USER: ['user.effective.name'],
      COMMAND: ['process.command_line'],
      PWD: ['process.working_directory'],
      TTY: ['process.tty.name'],
    },
  },
  { when: { product: 'linux', category: 'process_creation' }, fields: PROCESS_FIELDS },
  {
    when: { product: 'linux', category: 'network_connection' },
    fields: {
      Image: ['process.executable', 'winlog.event_data.Image'],
      DestinationIp: ['destination.ip', 'winlog.event_data.DestinationIp'],
      DestinationPort: ['destination.port', 'winlog.event_data.DestinationPort'],
      DestinationHostname: ['destination.domain', 'winlog.event_data.DestinationHostname'],
      SourceIp: ['source.ip', 'winlog.event_data.SourceIp'],
      SourcePort: ['source.port', 'winlog.event_data.SourcePort'],
      Initiated: ['winlog.event_data.Initiated'],
    },
  },
  {
    when: { product: 'linux', category: 'file_event' },
    fields: { TargetFilename: ['file.path', 'winlog.event_data.TargetFilename'], Image: ['process.executable', 'winlog.event_data.Image'] },
  },
  {
    when: { product: 'linux' },
    fields: {
      // PAM's names in auth.log, as parse/auth-log sets the ECS fields.
      pam_user: ['user.name'],
      pam_rhost: ['source.ip', 'source.address'],
      hostname: ['host.hostname', 'host.name'],
      program: ['log.syslog.appname', 'process.name'],
    },
  },
  // --- Generic categories (taxonomy "Other", "Network Events", "Generic") -------------------------
  { when: { category: 'process_creation' }, fields: PROCESS_FIELDS },
  { when: { category: 'webserver' }, fields: HTTP_FIELDS },
  { when: { category: 'proxy' }, fields: HTTP_FIELDS },
  { when: { category: 'firewall' }, fields: NETWORK_FIELDS },
  {
    when: { category: 'dns' },
    fields: {
      query: ['dns.question.name'],
      answer: ['dns.answers.data', 'dns.answers.name'],
      record_type: ['dns.question.type'],
      parent_domain: ['dns.question.registered_domain'],
      src_ip: ['source.ip', 'client.ip'],
      dst_ip: ['destination.ip', 'server.ip'],
    },
  },
  { when: { category: 'antivirus' }, fields: { Filename: ['file.path', 'file.name'], Signature: ['threat.indicator.name', 'rule.name'], Action: ['event.action'] } },
  // --- Syslog-ish (taxonomy "Product Folder", Sigma syslog conventions) ----------------------------
  {
    when: { service: 'syslog' },
    fields: {
      host: ['host.hostname', 'host.name'],
      hostname: ['host.hostname', 'host.name'],
      program: ['log.syslog.appname', 'process.name'],
      facility: ['log.syslog.facility.name'],
      severity: ['log.syslog.severity.name'],
    },
  },
];

/**
 * The Windows services of the taxonomy ("Windows Folder / Service") and the channels they read,
 * used to route events (fields/routing). Channels compare as Windows does: case-insensitively.
 */
export const windowsServiceChannels: Readonly<Record<string, readonly string[]>> = {
  application: ['Application'],
  'application-experience': [
    'Microsoft-Windows-Application-Experience/Program-Telemetry',
    'Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant',
  ],
  applocker: [
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'appmodel-runtime': ['Microsoft-Windows-AppModel-Runtime/Admin'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  bitlocker: ['Microsoft-Windows-BitLocker/BitLocker Management'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'certificateservicesclient-lifecycle-system': ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'dns-server-audit': ['Microsoft-Windows-DNS-Server/Audit'],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'hyper-v-worker': ['Microsoft-Windows-Hyper-V-Worker'],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'],
  'kernel-event-tracing': ['Microsoft-Windows-Kernel-EventTracing'],
  'kernel-shimengine': ['Microsoft-Windows-Kernel-ShimEngine/Operational', 'Microsoft-Windows-Kernel-ShimEngine/Diagnostic'],
  ldap: ['Microsoft-Windows-LDAP-Client/Debug'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'msexchange-management': ['MSExchange Management'],
  ntfs: ['Microsoft-Windows-Ntfs/Operational'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  openssh: ['OpenSSH/Operational'],
  powershell: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
  'powershell-classic': ['Windows PowerShell'],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  security: ['Security'],
  'security-mitigations': ['Microsoft-Windows-Security-Mitigations/Kernel Mode', 'Microsoft-Windows-Security-Mitigations/User Mode'],
  sense: ['Microsoft-Windows-SENSE/Operational'],
  'servicebus-client': ['Microsoft-ServiceBus-Client/Operational', 'Microsoft-ServiceBus-Client/Admin'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  'smbserver-connectivity': ['Microsoft-Windows-SMBServer/Connectivity'],
  sysmon: ['Microsoft-Windows-Sysmon/Operational'],
  system: ['System'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  vhdmp: ['Microsoft-Windows-VHDMP/Operational'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
};

/** Sysmon event ids → the Windows categories of the taxonomy that read them. */
export const sysmonCategories: Readonly<Record<string, readonly string[]>> = {
  '1': ['process_creation'],
  '2': ['file_change'],
  '3': ['network_connection'],
  '4': ['sysmon_status'],
  '5': ['process_termination'],
  '6': ['driver_load'],
  '7': ['image_load'],
  '8': ['create_remote_thread'],
  '9': ['raw_access_thread'],
  '10': ['process_access'],
  '11': ['file_event'],
  // 12 is both key/value creation and deletion: the rules tell them apart by `EventType`.
  '12': ['registry_event', 'registry_add', 'registry_delete'],
  '13': ['registry_event', 'registry_set'],
  '14': ['registry_event', 'registry_rename'],
  '15': ['create_stream_hash'],
  '16': ['sysmon_status'],
  '17': ['pipe_created'],
  '18': ['pipe_created'],
  '19': ['wmi_event'],
  '20': ['wmi_event'],
  '21': ['wmi_event'],
  '22': ['dns_query'],
  '23': ['file_delete'],
  '24': ['clipboard_capture'],
  '25': ['process_tampering'],
  '26': ['file_delete_detected'],
  '27': ['file_block_executable'],
  '28': ['file_block_shredding'],
  '29': ['file_executable_detected'],
  '255': ['sysmon_error'],
};
