// Azure resources for Service Routing: one App Service (bot endpoint, /api/v1 and the tab),
// a Storage account whose Table service is the system of record, and the Bot Service.
@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@description('Required when creating the Bot Service')
param botAadAppClientId string

@secure()
@description('Required by Bot Framework to authenticate the bot')
param botAadAppClientSecret string

@description('Client id of the SSO Entra app (audience of the tab tokens)')
param aadAppClientId string

@description('Operator tenant whose app-only tokens with role System.Operator are system tokens')
param systemTenantId string = ''

param webAppSku string = 'B1'
param botServiceName string = resourceBaseName
param botDisplayName string = 'Service Routing'
param location string = resourceGroup().location

var serverfarmsName = resourceBaseName
var webAppName = resourceBaseName
var storageName = toLower(replace('${resourceBaseName}st', '-', ''))

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2022-09-01' = {
  kind: 'app,linux'
  location: location
  name: serverfarmsName
  sku: { name: webAppSku }
  properties: { reserved: true }
}

var tablesConnectionString = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  kind: 'app,linux'
  location: location
  name: webAppName
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      ftpsState: 'Disabled'
      appCommandLine: 'node dist/bot/main.js'
      appSettings: [
        { name: 'HOST', value: '0.0.0.0' }
        { name: 'PORT', value: '8080' }
        { name: 'SEED', value: 'none' }
        { name: 'BOT_ID', value: botAadAppClientId }
        { name: 'BOT_PASSWORD', value: botAadAppClientSecret }
        { name: 'BOT_TYPE', value: 'MultiTenant' }
        { name: 'AAD_APP_CLIENT_ID', value: aadAppClientId }
        { name: 'AAD_APP_ID_URI', value: 'api://${webAppName}.azurewebsites.net/${aadAppClientId}' }
        { name: 'SYSTEM_TENANT_ID', value: systemTenantId }
        { name: 'TABLES_CONNECTION_STRING', value: tablesConnectionString }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
      ]
    }
  }
}

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    botAadAppClientId: botAadAppClientId
    botAppDomain: webApp.properties.defaultHostName
    botDisplayName: botDisplayName
    botServiceName: botServiceName
  }
}

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output TAB_DOMAIN string = webApp.properties.defaultHostName
output TAB_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
