@echo off
rem hashdeck: the desktop app's command (generated from src-main/desktop/launcher-scripts.ts by npm run generate; do not edit).
rem CLI arguments run the engine headless with the app's binary as Node; anything else opens the app.
setlocal
set "app=%~dp0..\..\hashdeck.exe"
for %%c in (mine diagnose devices emulate help --help -h --version -v) do if "%~1"=="%%c" goto cli
start "" "%app%" %*
exit /b 0
:cli
set "ELECTRON_RUN_AS_NODE=1"
"%app%" "%~dp0..\app.asar\out\main\cli.js" %*
exit /b %ERRORLEVEL%
