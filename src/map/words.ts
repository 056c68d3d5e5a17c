// The map's own words: its buttons, the basemap's legend and the basemaps' attributions.
export const zh = {
  'legend.basemap': '底图',
  'legend.basemap.outline': '市界',
  'legend.basemap.water': '水系',
  'legend.basemap.park': '公园绿地',
  'attribution.local': '底图与数据：{source}',
  'attribution.product': '基层治理一张图',
  'attribution.osm': '© OpenStreetMap 贡献者',
  'attribution.tianditu': '© 天地图 · 国家地理信息公共服务平台',
  'map.resetView': '回到全市',
  'map.settings': '设置',
  'map.webglFailed': '此浏览器无法创建 WebGL 地图：{message}',
} satisfies Record<string, string>

export const en: Record<keyof typeof zh, string> = {
  'legend.basemap': 'Basemap',
  'legend.basemap.outline': 'City boundary',
  'legend.basemap.water': 'Water',
  'legend.basemap.park': 'Parks',
  'attribution.local': 'Basemap and data: {source}',
  'attribution.product': 'Grassroots Atlas',
  'attribution.osm': '© OpenStreetMap contributors',
  'attribution.tianditu': '© Tianditu · National Platform for Common Geospatial Information Services',
  'map.resetView': 'Whole city',
  'map.settings': 'Settings',
  'map.webglFailed': 'This browser cannot create a WebGL map: {message}',
}
