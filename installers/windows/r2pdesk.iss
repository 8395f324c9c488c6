; Inno Setup script: r2pdesk-<version>-setup.exe from the PyInstaller bundle dist\r2pdesk\.
; Steps (installers\README.md): build the bundle on Windows, then
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installers\windows\r2pdesk.iss
; The setup installs per user by default (no administrator needed), or for all users if chosen.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "r2pdesk"
#define Bundle "..\..\dist\r2pdesk"

[Setup]
AppId={{6E0B7F0C-5D8E-4E36-9E47-2B9F3A1C7D21}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=r2pdesk
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=r2pdesk-{#AppVersion}-setup
SetupIconFile=r2pdesk.ico
UninstallDisplayIcon={app}\r2pdesk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\resources\fonts\LICENSE-DejaVu.txt

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\r2pdesk.exe"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\r2pdesk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\r2pdesk.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
